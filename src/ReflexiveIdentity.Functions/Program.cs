using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using ReflexiveIdentity.Functions;

var builder = FunctionsApplication.CreateBuilder(args);
builder.AddReflexiveFunctions();
builder.Build().Run();
