using Recoup.Testing;

namespace Recoup.Formats.Tests;

/// <summary>The shared real bank files (<c>../shared/realdata</c>, see its README) seen from a test.</summary>
public static class RealData
{
    /// <summary>
    /// Why a test of the real files is skipped: the folder is missing and the <c>CI</c> variable is not
    /// set; null otherwise. Under CI a missing folder is not a reason to skip, so those tests fail.
    /// </summary>
    public static string? SkipReason =>
        RepositoryRoot.SharedRealData is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
            ? "The shared real-data folder (../shared/realdata beside the repository) is absent; set CI to make this a failure."
            : null;

    /// <summary>The full path of a file in the real-data folder, e.g. <c>Path("bai2", "sample1.txt")</c>.</summary>
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([RepositoryRoot.SharedRealData
            ?? throw new InvalidOperationException("The shared real-data folder (../shared/realdata beside the repository) is missing."), .. parts]);
}

/// <summary>A fact about the real files, skipped (with the reason) only where <see cref="RealData.SkipReason"/> says.</summary>
public sealed class RealDataFactAttribute : FactAttribute
{
    public RealDataFactAttribute()
    {
        if (RealData.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory about the real files, skipped (with the reason) only where <see cref="RealData.SkipReason"/> says.</summary>
public sealed class RealDataTheoryAttribute : TheoryAttribute
{
    public RealDataTheoryAttribute()
    {
        if (RealData.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
