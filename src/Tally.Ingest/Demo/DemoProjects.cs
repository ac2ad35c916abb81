using System.Text;

namespace Tally.Ingest.Demo;

/// <summary>A working directory sessions run in, with the branch checked out there.</summary>
internal sealed record DemoCwd(string Path, string Branch)
{
    /// <summary>The project folder name Claude Code derives from the path: every non-alphanumeric char becomes '-'.</summary>
    public string Encoded => DemoProjects.Encode(Path);
}

/// <summary>A repository and its worktrees.</summary>
internal sealed record DemoProject(string Name, DemoCwd Main, IReadOnlyList<DemoCwd> Worktrees);

/// <summary>The projects of the demo user, some with worktrees and awkward characters in their paths.</summary>
internal static class DemoProjects
{
    private static readonly (string Path, string[] Worktrees)[] Known =
    [
        ("/home/demo/src/app", ["/home/demo/src/app/.worktrees/fix-auth", "/home/demo/src/app/.worktrees/billing-v2"]),
        ("/home/demo/src/api-gateway", ["/home/demo/src/api-gateway-wt-rate-limits"]),
        ("/home/demo/work/blog", []),
        ("/home/demo/src/infra", ["/home/demo/src/infra/.worktrees/terraform-1.9"]),
        ("/home/demo/clients/acme.io_site", []),
        ("/home/demo/src/ml-pipeline", []),
        ("/home/demo/src/mobile-client", ["/home/demo/src/mobile-client/.worktrees/ios-push"]),
        ("/home/demo/Documents/notes", []),
        ("/home/demo/src/café-menu", []),
        ("/home/demo/src/data_tools", []),
    ];

    public static IReadOnlyList<DemoProject> Create(int count)
    {
        var projects = new List<DemoProject>(count);
        for (int i = 0; i < count; i++)
        {
            (string path, string[] worktrees) = i < Known.Length
                ? Known[i]
                : ($"/home/demo/src/service-{i + 1:D2}", []);
            string name = path[(path.LastIndexOf('/') + 1)..];
            var main = new DemoCwd(path, i % 4 == 1 ? "develop" : "main");
            var trees = worktrees
                .Select(static w => new DemoCwd(w, BranchOf(w)))
                .ToArray();
            projects.Add(new DemoProject(name, main, trees));
        }

        return projects;
    }

    /// <summary>Replaces every character that is not an ASCII letter or digit with '-'.</summary>
    public static string Encode(string cwd)
    {
        var sb = new StringBuilder(cwd.Length);
        foreach (char c in cwd)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }

        return sb.ToString();
    }

    private static string BranchOf(string worktreePath)
    {
        string leaf = worktreePath[(worktreePath.LastIndexOf('/') + 1)..];
        int wt = leaf.IndexOf("-wt-", StringComparison.Ordinal);
        return wt >= 0 ? leaf[(wt + 4)..] : leaf;
    }
}
