using NetArchTest.Rules;

namespace Recoup.Domain.Tests;

/// <summary>The domain is pure: no database, no web, no network, no files.</summary>
public class ArchitectureTests
{
    private static readonly System.Reflection.Assembly Domain = typeof(Money).Assembly;

    [Theory]
    [InlineData("Microsoft.EntityFrameworkCore")]
    [InlineData("Microsoft.AspNetCore")]
    [InlineData("System.Net")]
    [InlineData("System.IO")]
    [InlineData("Npgsql")]
    [InlineData("Microsoft.Data")]
    public void Domain_DoesNotDependOn(string forbidden)
    {
        var result = Types.InAssembly(Domain).ShouldNot().HaveDependencyOn(forbidden).GetResult();

        Assert.True(result.IsSuccessful, $"Domain types depending on {forbidden}: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void DependencyRule_CanFail_WhenTheDependencyExists()
    {
        // A check that can never fail proves nothing: the test assembly does depend on xunit.
        var result = Types.InAssembly(typeof(ArchitectureTests).Assembly).ShouldNot().HaveDependencyOn("Xunit").GetResult();

        Assert.False(result.IsSuccessful);
    }
}
