using System.Text;

namespace Tally.Ingest.Demo;

/// <summary>Plausible prompts, prose, code and tool output, drawn from small word lists.</summary>
internal sealed class DemoText
{
    private static readonly string[] Prompts =
    [
        "Add cursor-based pagination to GET /orders",
        "Why does the login test fail on CI but not locally?",
        "Refactor the billing module to use the new Money type",
        "Write unit tests for the rate limiter",
        "Fix the flaky integration test in checkout",
        "Summarise what changed since the last release",
        "Upgrade the project to the latest framework version",
        "The dashboard is slow; profile it and suggest fixes",
        "Add a --dry-run flag to the deploy script",
        "Review this PR and point out risky changes",
        "Migrate the settings page to the new form library",
        "continue",
        "yes, do it",
        "Now run the tests again",
        "Explain how the cache invalidation works here",
        "Rename UserService to AccountService everywhere",
    ];

    private static readonly string[] Words =
    [
        "the", "handler", "returns", "cursor", "query", "index", "cache", "test", "config", "request", "response",
        "middleware", "token", "session", "schema", "migration", "invalid", "null", "check", "value", "before",
        "after", "because", "so", "we", "should", "update", "call", "file", "module", "error", "retry", "timeout",
        "path", "field", "this", "that", "it", "now", "then", "also", "missing", "order", "user", "list", "page",
    ];

    private static readonly string[] CodeLines =
    [
        "export async function listOrders(req: Request, res: Response) {",
        "  const cursor = req.query.cursor ?? null;",
        "  const rows = await db.orders.findMany({ take: limit + 1, cursor });",
        "  if (rows.length > limit) { next = rows.pop()!.id; }",
        "  return res.json({ data: rows, next });",
        "}",
        "public sealed class RateLimiter(TimeProvider clock, int permits)",
        "{",
        "    private readonly Queue<DateTimeOffset> _window = new();",
        "    if (_window.Count >= permits) return false;",
        "def load_config(path: str) -> dict:",
        "    with open(path, encoding=\"utf-8\") as f:",
        "        return json.load(f)",
        "// TODO: remove after the migration <2026-12> lands & is verified",
        "  \"dependencies\": { \"zod\": \"^3.23.8\", \"express\": \"^4.21.0\" },",
        "SELECT id, status, total FROM orders WHERE created_at > $1 ORDER BY id LIMIT 50;",
        "    assert response.status_code == 200, f\"got {response.status_code}\"",
        "	return fmt.Errorf(\"open %s: %w\", name, err)",
    ];

    private static readonly string[] Files =
    [
        "src/orders.ts", "src/routes/index.ts", "src/billing/money.ts", "tests/rate_limiter.test.ts",
        "README.md", "package.json", "src/auth/login.ts", "infra/main.tf", "scripts/deploy.sh",
        "src/Settings/SettingsPage.tsx", "pipeline/train.py", "docs/architecture.md", "cmd/server/main.go",
    ];

    private readonly DemoRandom _rng;
    private readonly string _codePool;

    public DemoText(DemoRandom rng)
    {
        _rng = rng;
        var sb = new StringBuilder(64 * 1024);
        int line = 1;
        while (sb.Length < 64 * 1024)
        {
            sb.Append(line.ToString("D6", System.Globalization.CultureInfo.InvariantCulture))
                .Append('\t')
                .Append(rng.Pick(CodeLines))
                .Append('\n');
            line++;
        }

        _codePool = sb.ToString();
    }

    public string Prompt() => _rng.Pick(Prompts);

    public string File() => _rng.Pick(Files);

    public string Code() => _rng.Pick(CodeLines);

    /// <summary>A few sentences of prose, about <paramref name="words"/> words.</summary>
    public string Prose(int words)
    {
        var sb = new StringBuilder(words * 7);
        for (int i = 0; i < words; i++)
        {
            string w = _rng.Pick(Words);
            bool start = i == 0 || sb[^2] == '.';
            if (i > 0)
            {
                sb.Append(' ');
            }

            sb.Append(start ? string.Concat(char.ToUpperInvariant(w[0]).ToString(), w.AsSpan(1)) : w);
            if (i == words - 1 || _rng.Chance(0.08))
            {
                sb.Append('.');
            }
        }

        return sb.ToString();
    }

    /// <summary>About <paramref name="chars"/> characters of numbered code lines, as a tool would print them.</summary>
    public string Listing(int chars)
    {
        var sb = new StringBuilder(chars + 128);
        int offset = _rng.Next(_codePool.Length);
        while (sb.Length < chars)
        {
            int take = Math.Min(_codePool.Length - offset, chars - sb.Length);
            sb.Append(_codePool, offset, take);
            offset = 0;
        }

        return sb.ToString();
    }
}
