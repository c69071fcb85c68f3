using CareSim.Cli;

return await SimCli.RunAsync(args);
