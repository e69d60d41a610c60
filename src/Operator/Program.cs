Console.Error.WriteLine("hipaa-mongo: not built yet");
return 2;
