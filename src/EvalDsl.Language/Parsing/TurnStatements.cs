using Superpower.Model;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Parsing;

/// <summary>The turns a case and a repeat block share: <c>user [by model NAME]</c>, <c>assistant</c>, <c>reply [after TEXT]</c>.</summary>
internal static class TurnStatements
{
    public static readonly string[] Keywords = { "user", "assistant", "reply" };

    /// <summary>Reads the turn <paramref name="line"/> starts with one of <see cref="Keywords"/>; what parsed is kept.</summary>
    public static TurnSyntax Read(Parser parser, LogicalLine line)
    {
        var keywordRange = StatementCursor.Range(line.Tokens[0]);
        switch (line.Keyword)
        {
            case "user":
            {
                var turn = new TurnSyntax(TurnKind.User, keywordRange);
                var user = StatementCursor.Statement(parser, line.Tokens, StatementGrammar.UserTurn);
                if (user.HasValue)
                {
                    if (user.Value.Model is { } model) turn.Model = Parser.NameOf(model);
                    turn.Text = parser.StringOf(user.Value.Text, line);
                }
                turn.HasErrors = !user.Complete;
                return turn;
            }
            case "assistant":
            {
                var turn = new TurnSyntax(TurnKind.Assistant, keywordRange);
                var text = StatementCursor.Statement(parser, line.Tokens, StatementGrammar.TextStatement("assistant"));
                if (text.HasValue) turn.Text = parser.StringOf(text.Value, line);
                turn.HasErrors = !text.Complete;
                return turn;
            }
            default:
            {
                var turn = new TurnSyntax(TurnKind.Reply, keywordRange);
                var reply = StatementCursor.Statement(parser, line.Tokens, StatementGrammar.ReplyTurn);
                if (reply.HasValue && reply.Value is { } prefill) turn.Prefill = parser.StringOf(prefill, line);
                turn.HasErrors = !reply.Complete;
                return turn;
            }
        }
    }
}
