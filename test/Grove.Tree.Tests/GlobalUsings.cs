global using Grove.Tree.Cluster;
global using Grove.Tree.Storage;
