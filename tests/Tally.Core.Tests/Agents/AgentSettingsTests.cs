using Tally.Core.Agents;

namespace Tally.Core.Tests.Agents;

public class AgentSettingsTests
{
    private const string Session = "5f0c2c1e-7a7b-4f0e-9a57-1c2d3e4f5a6b";
    private const string Worktree = "/home/alice/work/acme-api/.worktrees/fix-auth";
    private const string Project = "/home/alice/work/acme-api";

    [Theory]
    [InlineData(AuthMode.Subscription, BillingSource.Subscription)]
    [InlineData(AuthMode.MultiAccount, BillingSource.Subscription)]
    [InlineData(AuthMode.ApiKey, BillingSource.Api)]
    [InlineData(AuthMode.Both, BillingSource.Unknown)]
    public void The_auth_mode_decides_when_no_override_names_the_agent(AuthMode mode, BillingSource expected)
    {
        var settings = new AgentSettings { AuthMode = mode };
        Assert.Equal((expected, BillingBasis.AuthMode), settings.BillingOf(Session, Worktree, Project));
    }

    [Fact]
    public void Without_an_auth_mode_the_billing_source_is_unknown()
    {
        Assert.Equal((BillingSource.Unknown, BillingBasis.None), new AgentSettings().BillingOf(Session, Worktree, Project));
    }

    [Fact]
    public void A_session_override_beats_a_directory_override_which_beats_a_project_override()
    {
        var overrides = new Dictionary<string, BillingSource>(StringComparer.Ordinal)
        {
            ["acme"] = BillingSource.Api,
            [Worktree + "/"] = BillingSource.Subscription,
            [Session] = BillingSource.Api,
        };
        var settings = new AgentSettings
        {
            AuthMode = AuthMode.Both,
            BillingOverrides = overrides,
            ProjectAliases = new Dictionary<string, string>(StringComparer.Ordinal) { [Project] = "acme" },
        };

        Assert.Equal((BillingSource.Api, BillingBasis.Agent), settings.BillingOf(Session, Worktree, Project));
        Assert.Equal((BillingSource.Subscription, BillingBasis.Directory), settings.BillingOf("other", Worktree + "/", Project));
        Assert.Equal((BillingSource.Api, BillingBasis.Project), settings.BillingOf("other", Project, Project));
        Assert.Equal((BillingSource.Unknown, BillingBasis.AuthMode), settings.BillingOf("other", "/elsewhere", "/elsewhere"));
    }

    [Fact]
    public void A_project_override_may_name_the_project_by_path_or_folder_name()
    {
        var byFolder = new AgentSettings { AuthMode = AuthMode.Subscription, BillingOverrides = new Dictionary<string, BillingSource>(StringComparer.Ordinal) { ["acme-api"] = BillingSource.Api } };
        var byPath = byFolder with { BillingOverrides = new Dictionary<string, BillingSource>(StringComparer.Ordinal) { [Project] = BillingSource.Api } };
        Assert.Equal((BillingSource.Api, BillingBasis.Project), byFolder.BillingOf(Session, Worktree, Project));
        Assert.Equal((BillingSource.Api, BillingBasis.Project), byPath.BillingOf(Session, Worktree, Project + "/"));
    }

    [Fact]
    public void Labels_are_found_by_session_then_directory()
    {
        var settings = new AgentSettings
        {
            Labels = new Dictionary<string, string>(StringComparer.Ordinal) { [Session] = "pagination", [Worktree] = "fix the login" },
        };

        Assert.Equal("pagination", settings.LabelOf(Session, Worktree));
        Assert.Equal("fix the login", settings.LabelOf("other", Worktree + "/"));
        Assert.Null(settings.LabelOf("other", Project));
    }
}
