using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
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
/// LSTM001: adds <c>partial</c> to every declaration of the model type (<c>[Lstm]</c>, <c>[Gru]</c>, <c>[RecurrentModel]</c>) and of each type it is nested in,
/// across documents, in one action.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFixProvider)), Shared]
public sealed class MakePartialCodeFixProvider : CodeFixProvider
{
    public const string Title = "Make the model type and its containing types partial";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.NotPartial);

    public override FixAllProvider GetFixAllProvider() => new FixAll();

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span) is not { } node)
        {
            return;
        }

        TypeDeclarationSyntax? declaration = node.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().FirstOrDefault();
        if (declaration is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            context.RegisterCodeFix(
                CodeAction.Create(Title, ct => MakeChainsPartialAsync(context.Document.Project.Solution, new[] { (context.Document, declaration.Span) }, ct), equivalenceKey: Title),
                diagnostic);
        }
    }

    /// <summary>Makes partial every type declaration, in the whole chain of every type whose declaration spans are given.</summary>
    private static async Task<Solution> MakeChainsPartialAsync(Solution solution, IEnumerable<(Document Document, Microsoft.CodeAnalysis.Text.TextSpan Span)> reported, CancellationToken cancellationToken)
    {
        // Collect the declarations to change, by document, so each document is rewritten once.
        var targets = new Dictionary<DocumentId, HashSet<Microsoft.CodeAnalysis.Text.TextSpan>>();
        foreach ((Document document, Microsoft.CodeAnalysis.Text.TextSpan span) in reported)
        {
            SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (model is null || root is null)
            {
                continue;
            }

            var declaration = root.FindNode(span).AncestorsAndSelf().OfType<TypeDeclarationSyntax>().First();
            if (model.GetDeclaredSymbol(declaration, cancellationToken) is not INamedTypeSymbol type)
            {
                continue;
            }

            // The whole chain: the reported type may be a container of the [Lstm] type, so walk down to any nested
            // [Lstm] type too by starting from the innermost types declared in this declaration.
            var chainStarts = new List<INamedTypeSymbol> { type };
            chainStarts.AddRange(declaration.DescendantNodes().OfType<TypeDeclarationSyntax>()
                .Select(d => model.GetDeclaredSymbol(d, cancellationToken))
                .OfType<INamedTypeSymbol>()
                .Where(HasLstmAttribute));
            foreach (INamedTypeSymbol start in chainStarts)
            {
                for (INamedTypeSymbol? t = start; t is not null; t = t.ContainingType)
                {
                    foreach (SyntaxReference reference in t.DeclaringSyntaxReferences)
                    {
                        DocumentId? id = solution.GetDocumentId(reference.SyntaxTree);
                        if (id is null)
                        {
                            continue;
                        }

                        if (!targets.TryGetValue(id, out HashSet<Microsoft.CodeAnalysis.Text.TextSpan>? spans))
                        {
                            targets[id] = spans = new HashSet<Microsoft.CodeAnalysis.Text.TextSpan>();
                        }

                        spans.Add(reference.Span);
                    }
                }
            }
        }

        foreach (KeyValuePair<DocumentId, HashSet<Microsoft.CodeAnalysis.Text.TextSpan>> entry in targets)
        {
            Document document = solution.GetDocument(entry.Key)!;
            SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
            var declarations = root.DescendantNodesAndSelf().OfType<TypeDeclarationSyntax>()
                .Where(d => entry.Value.Contains(d.Span) && !d.Modifiers.Any(SyntaxKind.PartialKeyword))
                .ToList();
            SyntaxNode newRoot = root.ReplaceNodes(declarations, (original, rewritten) => AddPartial((TypeDeclarationSyntax)rewritten));
            solution = solution.WithDocumentSyntaxRoot(entry.Key, newRoot);
        }

        return solution;
    }

    private static bool HasLstmAttribute(INamedTypeSymbol type) =>
        type.GetAttributes().Any(a => System.Array.IndexOf(AttributeParser.ModelAttributes, a.AttributeClass?.ToDisplayString()) >= 0);

    // 'partial' must come last among the modifiers, right before the keyword: `public sealed partial class M`.
    private static TypeDeclarationSyntax AddPartial(TypeDeclarationSyntax declaration)
    {
        SyntaxToken partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (declaration.Modifiers.Count == 0)
        {
            // Keep the leading trivia (indentation, comments) on the first token of the declaration.
            SyntaxToken keyword = declaration.Keyword;
            partial = partial.WithLeadingTrivia(keyword.LeadingTrivia);
            return declaration
                .ReplaceToken(keyword, keyword.WithLeadingTrivia(SyntaxTriviaList.Empty))
                .WithModifiers(SyntaxFactory.TokenList(partial));
        }

        return declaration.WithModifiers(declaration.Modifiers.Add(partial));
    }

    /// <summary>Fix All: one solution change covering every reported declaration, so no edits conflict.</summary>
    private sealed class FixAll : FixAllProvider
    {
        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
            new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

        public override async Task<CodeAction?> GetFixAsync(FixAllContext context)
        {
            var reported = new List<(Document, Microsoft.CodeAnalysis.Text.TextSpan)>();
            IEnumerable<Document> documents = context.Scope switch
            {
                FixAllScope.Document when context.Document is not null => new[] { context.Document },
                FixAllScope.Project => context.Project.Documents,
                FixAllScope.Solution => context.Solution.Projects.SelectMany(p => p.Documents),
                _ => Enumerable.Empty<Document>(),
            };

            foreach (Document document in documents)
            {
                ImmutableArray<Diagnostic> diagnostics = await context.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false);
                SyntaxNode? root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
                foreach (Diagnostic diagnostic in diagnostics)
                {
                    if (root?.FindNode(diagnostic.Location.SourceSpan).AncestorsAndSelf().OfType<TypeDeclarationSyntax>().FirstOrDefault() is { } declaration)
                    {
                        reported.Add((document, declaration.Span));
                    }
                }
            }

            return CodeAction.Create(Title, ct => MakeChainsPartialAsync(context.Solution, reported, ct), equivalenceKey: Title);
        }
    }
}
