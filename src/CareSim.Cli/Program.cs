using CareSim.Cli;
using CareSim.Engine.Running;

// On a processor with fast 512-bit lanes, start again with Vector<T> that wide (the same numbers, faster).
VectorWidth.WidenProcess();
return await SimCli.RunAsync(args);
