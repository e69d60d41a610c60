using HipaaMongo.MongodSimulator;

return await MongodSimCli.RunAsync(args, Console.Out, Console.Error);
