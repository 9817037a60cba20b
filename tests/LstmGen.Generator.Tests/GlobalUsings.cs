global using LstmGen.Generator.Cells;
global using LstmGen.Generator.Diagnostics;
global using LstmGen.Generator.Model;
global using LstmGen.Generator.Planning;
global using LstmGen.Generator.Validation;
