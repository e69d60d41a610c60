using HipaaMongo.Operator.Cli;

return CliApp.Run(args, Console.Out, Console.Error);
