namespace Recoup.Testing;

/// <summary>Where the repository is, seen from a running test.</summary>
public static class RepositoryRoot
{
    private const string SolutionFile = "Recoup.slnx";

    private static readonly Lazy<string> Root = new(FindRoot, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// The repository's root folder: the nearest folder at or above <see cref="AppContext.BaseDirectory"/>
    /// that holds <c>Recoup.slnx</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No such folder exists.</exception>
    public static string Path => Root.Value;

    /// <summary>
    /// The real data shared beside the repository (<c>&lt;root&gt;/../shared/realdata</c>), or null when
    /// that folder does not exist (tests using it should then be skipped).
    /// </summary>
    public static string? SharedRealData
    {
        get
        {
            var folder = System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, "..", "shared", "realdata"));
            return Directory.Exists(folder) ? folder : null;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No folder at or above {AppContext.BaseDirectory} contains {SolutionFile}.");
    }
}
