using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Recoup.Data.Identity;

namespace Recoup.Web.Identity;

/// <summary>The form posts behind the sign-in page: cookie sign-in with lockout, and sign-out.</summary>
public static class SignInEndpoints
{
    public static void MapSignIn(this WebApplication app)
    {
        app.MapPost("/account/login", async ([FromForm] string userName, [FromForm] string password, [FromForm] string? returnUrl, SignInManager<RecoupUser> signIn) =>
            {
                var result = await signIn.PasswordSignInAsync(userName, password, isPersistent: false, lockoutOnFailure: true);
                var back = IsLocal(returnUrl) ? returnUrl! : "/";
                if (result.Succeeded)
                {
                    return Results.LocalRedirect(back);
                }

                var error = result.IsLockedOut ? "locked" : "invalid";
                return Results.LocalRedirect($"/login?error={error}&returnUrl={Uri.EscapeDataString(back)}");
            })
            .AllowAnonymous()
            .ExcludeFromDescription();

        app.MapPost("/account/logout", async (SignInManager<RecoupUser> signIn) =>
            {
                await signIn.SignOutAsync();
                return Results.LocalRedirect("/login");
            })
            .ExcludeFromDescription();
    }

    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);
}
