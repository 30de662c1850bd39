using Recoup.Domain.Strategies;
using Recoup.Services.Strategies;

namespace Recoup.Services.Tests.Strategies;

public sealed class StrategyJsonTests
{
    [Fact]
    public void AStrategy_WrittenAndReadBack_IsTheSame()
    {
        var json = StrategyJson.Write(DefaultStrategies.Consumer);

        Assert.Equal(json, StrategyJson.Write(StrategyJson.Read(json).Value!));
        Assert.Contains("\"action\": \"call_task\"", json);
        Assert.Contains("\"on_event\": \"promise_broken\"", json);
        Assert.Contains("\"days_past_due\": 120", json);
    }

    [Fact]
    public void AMisspeltCondition_IsAnError_NotIgnored()
    {
        var read = StrategyJson.Read("""{"name":"X","dunning":"account","segments":[{"name":"A","when":{"balanse_from":10},"arms":[]}]}""");

        Assert.Equal("invalid_strategy", read.Error!.Code);
        Assert.Contains("balanse_from", read.Error.Message);
    }

    [Fact]
    public void AnUnknownAction_IsAnError_NamingWhere()
    {
        var read = StrategyJson.Read("""{"name":"X","dunning":"account","segments":[{"name":"A","arms":[{"name":"c","percent":100,"steps":[{"key":"k","action":"fax","days_past_due":3}]}]}]}""");

        Assert.Equal("$.segments[0].arms[0].steps[0].action", read.Error!.Field);
    }

    [Fact]
    public void ListsLeftOut_AreEmpty()
    {
        var read = StrategyJson.Read("""{"name":"X","dunning":"invoice","segments":[{"name":"A","arms":[{"name":"c","percent":100}]}]}""").Value!;

        Assert.Equal(DunningLevel.Invoice, read.Dunning);
        Assert.Empty(read.Segments[0].Arms[0].Steps);
        Assert.Equal(SegmentCondition.Any, read.Segments[0].When);
    }
}
