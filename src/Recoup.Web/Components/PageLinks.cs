using Microsoft.AspNetCore.Components;

namespace Recoup.Web.Components;

/// <summary>Links to a part of the page being shown.</summary>
/// <remarks>
/// The app's <c>&lt;base href="/"&gt;</c> makes a bare <c>#section</c> link resolve against the site's root, so a
/// click on it opened the dashboard instead of scrolling to the section. A link to a section therefore names the
/// page's own path and query before the fragment.
/// </remarks>
public static class PageLinks
{
    /// <summary><c>/accounts/…?…#<paramref name="id"/></c>: the element with that id on the current page.</summary>
    public static string Section(NavigationManager navigation, string id)
    {
        ArgumentNullException.ThrowIfNull(navigation);
        return new Uri(navigation.Uri).PathAndQuery + "#" + id;
    }
}
