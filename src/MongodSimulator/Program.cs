Console.Error.WriteLine("mongod-sim: not built yet");
return 2;
