Console.WriteLine("streams: host not composed yet");
