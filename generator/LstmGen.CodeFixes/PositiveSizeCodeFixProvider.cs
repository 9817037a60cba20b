using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using LstmGen.Generator.Parsing;
using LstmGen.Generator.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LstmGen.CodeFixes;

/// <summary>
/// LSTM002: replaces a non-positive size with a positive one: the absolute value of a negative size
/// (a sign typed by mistake), or 1 for zero.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PositiveSizeCodeFixProvider)), Shared]
public sealed class PositiveSizeCodeFixProvider : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.NonPositiveSize);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan) is not { } node
                || node.AncestorsAndSelf().OfType<AttributeArgumentSyntax>().FirstOrDefault() is not { } argument
                || !diagnostic.Properties.TryGetValue("Value", out string? text)
                || !long.TryParse(text?.Replace(",", string.Empty), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            {
                continue;
            }

            long replacement = value < 0 && value >= -int.MaxValue ? -value : 1;
            string title = $"Use {replacement.ToString(CultureInfo.InvariantCulture)}";
            context.RegisterCodeFix(
                CodeAction.Create(
                    title,
                    _ =>
                    {
                        ExpressionSyntax literal = SyntaxFactory.LiteralExpression(
                            SyntaxKind.NumericLiteralExpression,
                            SyntaxFactory.Literal((int)replacement))
                            .WithTriviaFrom(argument.Expression);
                        return Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(argument.Expression, literal)));
                    },
                    equivalenceKey: "LSTM002-positive"),
                diagnostic);
        }
    }
}
