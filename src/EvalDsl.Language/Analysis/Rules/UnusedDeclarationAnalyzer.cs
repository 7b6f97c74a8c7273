using System.Collections.Generic;
using System.Linq;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;

namespace EvalDsl.Analysis.Rules;

/// <summary>
/// EVAL0205: a persona, data set or behavior is declared and never used. Quiet when a syntax error or an
/// unresolved name of the same kind may be the use that is missing. A file some <c>use</c> names offers its
/// declarations to every spec that uses it; none of them needs all, so its declarations are never reported.
/// </summary>
internal sealed class UnusedDeclarationAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.Unused;

    public override void Analyze(AnalysisContext context)
    {
        var compilation = context.Compilation;
        if (compilation.UsesMayBeHidden) return;

        if (!compilation.HasUnresolvedPersona)
        {
            var personas = compilation.Trees.SelectMany(t => t.Personas.Concat(t.Suites.SelectMany(s => s.Personas))).ToList();
            var used = new HashSet<string>(compilation.UsedPersonas.Select(p => p.Name.Text));
            foreach (var persona in personas)
            {
                if (persona.Name.IsMissing() || used.Contains(persona.Name.Text) || compilation.UsedFiles.Contains(persona.Tree)) continue;
                context.Report(persona.Tree, persona.Name.Range, $"Persona '{persona.Name.Text}' is declared but never used; use it with 'with {persona.Name.Text}' or remove it.");
            }
        }

        if (!compilation.HasUnresolvedData)
        {
            var dataSets = compilation.Trees.SelectMany(t => t.DataSets.Concat(t.Suites.SelectMany(s => s.DataSets))).ToList();
            var used = new HashSet<string>(compilation.UsedData.Select(d => d.Name.Text));
            foreach (var data in dataSets)
            {
                if (data.Name.IsMissing() || used.Contains(data.Name.Text) || compilation.UsedFiles.Contains(data.Tree)) continue;
                context.Report(data.Tree, data.Name.Range, $"Data set '{data.Name.Text}' is declared but never used; use it with 'for each {data.Name.Text}' or remove it.");
            }
        }

        if (!compilation.HasUnresolvedBehavior)
        {
            var used = new HashSet<string>(compilation.UsedBehaviors.Select(b => b.Key));
            foreach (var pair in compilation.BehaviorOf)
            {
                if (used.Contains(pair.Value.Key) || Binding.BehaviorCatalog.FindBuiltIn(pair.Value.Phrase) is not null || compilation.UsedFiles.Contains(pair.Key.Tree)) continue;
                context.Report(pair.Key.Tree, pair.Key.Phrase.Range, $"Behavior '{pair.Value.Phrase}' is declared but never used in an expectation.");
            }
        }
    }
}
