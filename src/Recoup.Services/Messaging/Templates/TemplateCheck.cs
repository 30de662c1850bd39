using System.Text.RegularExpressions;
using Fluid;
using Fluid.Ast;

namespace Recoup.Services.Messaging.Templates;

/// <summary>Something wrong with a template, at a line (1-based) of the part it is in (<c>subject</c>, <c>body</c>, <c>html</c>).</summary>
public sealed record TemplateProblem(string Part, int Line, string Message, string? Variable = null);

/// <summary>
/// Checks a Liquid template before it is saved: it must parse, and every variable it reads must exist in the
/// template model (<see cref="TemplateModel.Schema"/>) — a misspelt name is refused here, with its line, rather
/// than rendered as an empty string in a letter. Loop variables, <c>forloop</c>, and names made with
/// <c>assign</c>/<c>capture</c> are known inside the template; lists answer <c>size</c>, <c>first</c> and <c>last</c>.
/// Filters must be ones Fluid knows.
/// </summary>
public static partial class TemplateCheck
{
    public static FluidParser Parser { get; } = new();

    public static TemplateOptions Options { get; } = new();

    public static IReadOnlyList<TemplateProblem> Check(string part, string? source)
    {
        if (string.IsNullOrEmpty(source))
        {
            return [];
        }

        if (!Parser.TryParse(source, out var template, out var error))
        {
            return [new TemplateProblem(part, LineOfError(error), $"The template does not parse: {error}")];
        }

        var walker = new Walker(part, source);
        walker.VisitTemplate(template);
        return walker.Problems;
    }

    private static int LineOfError(string error) =>
        ErrorPosition().Match(error) is { Success: true } match ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 1;

    [GeneratedRegex(@"\((\d+):(\d+)\)")]
    private static partial Regex ErrorPosition();

    /// <summary>A node of the schema that allows any member (an assigned or captured variable, a filter's output).</summary>
    private sealed class AnyValue
    {
        public static readonly AnyValue Instance = new();
    }

    private static readonly Dictionary<string, object?> ForLoop = new()
    {
        ["index"] = 1, ["index0"] = 0, ["rindex"] = 1, ["rindex0"] = 0, ["first"] = true, ["last"] = true, ["length"] = 1,
    };

    private sealed class Walker(string part, string source) : AstVisitor
    {
        private readonly List<Dictionary<string, object?>> _scopes = [new(StringComparer.Ordinal)];

        public List<TemplateProblem> Problems { get; } = [];

        protected override Statement VisitForStatement(ForStatement forStatement)
        {
            Visit(forStatement.Source);
            Visit(forStatement.Limit);
            Visit(forStatement.Offset);
            var element = forStatement.Source is MemberExpression member && Resolve(member, report: false) is List<Dictionary<string, object?>> list && list.Count > 0
                ? list[0]
                : (object)AnyValue.Instance;
            _scopes.Add(new Dictionary<string, object?>(StringComparer.Ordinal) { [forStatement.Identifier] = element, ["forloop"] = ForLoop });
            foreach (var statement in forStatement.Statements)
            {
                Visit(statement);
            }

            _scopes.RemoveAt(_scopes.Count - 1);
            Visit(forStatement.Else);
            return forStatement;
        }

        protected override Statement VisitAssignStatement(AssignStatement assignStatement)
        {
            Visit(assignStatement.Value);
            _scopes[0][assignStatement.Identifier] = AnyValue.Instance;
            return assignStatement;
        }

        protected override Statement VisitCaptureStatement(CaptureStatement captureStatement)
        {
            _scopes[0][captureStatement.Identifier] = AnyValue.Instance;
            return base.VisitCaptureStatement(captureStatement);
        }

        protected override Expression VisitFilterExpression(FilterExpression filterExpression)
        {
            if (!Options.Filters.TryGetValue(filterExpression.Name, out _))
            {
                Problems.Add(new TemplateProblem(part, LineOf(filterExpression.Name), $"Unknown filter '{filterExpression.Name}'"));
            }

            return base.VisitFilterExpression(filterExpression);
        }

        protected override Expression VisitMemberExpression(MemberExpression memberExpression)
        {
            Resolve(memberExpression, report: true);
            return memberExpression;
        }

        private object? Resolve(MemberExpression expression, bool report)
        {
            var path = new List<string>();
            object? node = null;
            for (var i = 0; i < expression.Segments.Count; i++)
            {
                var segment = expression.Segments[i];
                if (segment is IndexerSegment indexer)
                {
                    Visit(indexer.Expression);
                    node = node is List<Dictionary<string, object?>> items && items.Count > 0 ? items[0] : AnyValue.Instance;
                    path.Add("[]");
                    continue;
                }

                if (segment is not IdentifierSegment identifier)
                {
                    return AnyValue.Instance;
                }

                var name = identifier.Identifier;
                path.Add(name);
                if (i == 0)
                {
                    node = Lookup(name, out var found);
                    if (!found)
                    {
                        return Unknown(path, report);
                    }

                    continue;
                }

                switch (node)
                {
                    case AnyValue:
                        return node;
                    case Dictionary<string, object?> members when members.TryGetValue(name, out var child):
                        node = child;
                        break;
                    case List<Dictionary<string, object?>> items when name is "size":
                        node = 0;
                        break;
                    case List<Dictionary<string, object?>> items when name is "first" or "last":
                        node = items.Count > 0 ? items[0] : AnyValue.Instance;
                        break;
                    case string when name is "size":
                        node = 0;
                        break;
                    default:
                        return Unknown(path, report);
                }
            }

            return node;
        }

        private object? Lookup(string name, out bool found)
        {
            for (var i = _scopes.Count - 1; i >= 0; i--)
            {
                if (_scopes[i].TryGetValue(name, out var local))
                {
                    found = true;
                    return local;
                }
            }

            found = TemplateModel.Schema.TryGetValue(name, out var root);
            return root;
        }

        private AnyValue Unknown(List<string> path, bool report)
        {
            if (report)
            {
                var variable = string.Join('.', path).Replace(".[]", "[]", StringComparison.Ordinal);
                Problems.Add(new TemplateProblem(part, LineOf(string.Join('.', path.Where(p => p != "[]"))),
                    $"Unknown variable '{variable}': the template model has no such name (see docs/templates.md)", variable));
            }

            return AnyValue.Instance;
        }

        /// <summary>The line where the name first appears (the parser keeps no positions).</summary>
        private int LineOf(string name)
        {
            var match = Regex.Match(source, $@"(?<![\w.]){Regex.Escape(name).Replace(@"\.", @"\s*\.\s*", StringComparison.Ordinal)}(?![\w])", RegexOptions.None, TimeSpan.FromSeconds(1));
            var index = match.Success ? match.Index : source.IndexOf(name, StringComparison.Ordinal);
            return index < 0 ? 1 : 1 + source.AsSpan(0, index).Count('\n');
        }
    }
}
