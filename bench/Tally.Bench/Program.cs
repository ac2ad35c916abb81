using Tally.Bench;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.Out.WriteLine(GenerateCommand.Usage);
    return args.Length == 0 ? 2 : 0;
}

if (args[0] == "generate")
{
    return GenerateCommand.Run(args[1..], Console.Out, Console.Error);
}

Console.Error.WriteLine($"unknown command '{args[0]}'\n\n{GenerateCommand.Usage}");
return 2;
