global using Grove.Tree;
