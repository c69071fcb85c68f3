Console.WriteLine("benchmarks: see bench/run.sh");
