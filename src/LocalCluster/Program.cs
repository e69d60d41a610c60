Console.Error.WriteLine("local-cluster: not built yet");
return 2;
