using Tally.Cli.App;

return await TallyApp.RunAsync(args, TallyEnvironment.System());
