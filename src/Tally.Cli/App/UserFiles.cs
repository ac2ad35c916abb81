using Tally.Core.Budgets;
using Tally.Core.Limits;
using Tally.Server;

namespace Tally.Cli.App;

/// <summary>The configuration folder's <c>plans.json</c> and <c>budgets.json</c>, read as the commands read them.</summary>
internal sealed class UserFiles(TallyPaths paths) : IUserFiles
{
    /// <inheritdoc />
    public string PlansFile => paths.PlansFile;

    /// <inheritdoc />
    public string BudgetsFile => paths.BudgetsFile;

    /// <inheritdoc />
    public PlanSettings ReadPlans(ICollection<string> errors) => PlanLoader.Load(paths, errors, create: false);

    /// <inheritdoc />
    public IReadOnlyList<Budget> ReadBudgets(ICollection<string> errors) => App.BudgetsFile.Load(paths.BudgetsFile, errors);
}
