using Tally.Bench;
using Tally.Bench.Agree;
using Tally.Bench.Api;
using Tally.Bench.Dashboard;
using Tally.Bench.Proxy;
using Tally.Bench.Scale;
using Tally.Bench.Smoke;
using Tally.Bench.Speed;
using Tally.Bench.StatusLine;

string usage = $"""
    tally-bench: corpora, agreement with ccusage, and speed for Tally.

    {GenerateCommand.Usage}
    {AgreeCommand.Usage}
    {SpeedCommand.Usage}
    {SmokeCommand.Usage}
    {ScaleCommand.Usage}
    {StatusLineCommand.Usage}
    {ApiCommand.Usage}
    {DashboardCommand.Usage}
    {ProxyBenchCommand.Usage}
    """;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.Out.WriteLine(usage);
    return args.Length == 0 ? 2 : 0;
}

string[] rest = args[1..];
switch (args[0])
{
    case "generate":
        return GenerateCommand.Run(rest, Console.Out, Console.Error);
    case "agree":
        return AgreeCommand.Run(rest, Console.Out, Console.Error);
    case "speed":
        return SpeedCommand.Run(rest, Console.Out, Console.Error);
    case "scale":
        return ScaleCommand.Run(rest, Console.Out, Console.Error);
    case "statusline":
        return StatusLineCommand.Run(rest, Console.Out, Console.Error);
    case "api":
        return ApiCommand.Run(rest, Console.Out, Console.Error);
    case "dashboard":
        return DashboardCommand.Run(rest, Console.Out, Console.Error);
    case "proxy":
        return ProxyBenchCommand.Run(rest, Console.Out, Console.Error);
    case "smoke":
        return SmokeCommand.Run(rest, Console.Out, Console.Error);
    default:
        Console.Error.WriteLine($"unknown command '{args[0]}'\n\n{usage}");
        return 2;
}
