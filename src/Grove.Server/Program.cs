return await Grove.Server.GroveServer.RunAsync(args);
