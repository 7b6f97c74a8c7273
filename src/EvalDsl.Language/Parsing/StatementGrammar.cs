using Superpower;
using Superpower.Model;
using Superpower.Parsers;
using EvalDsl.Lexing;

namespace EvalDsl.Parsing;

/// <summary>The token-list parsers for the parts of a statement. Statements are parsed part by part by
/// <see cref="StatementCursor"/>, so that a statement keeps what parsed before its first error.</summary>
internal static class StatementGrammar
{
    public static readonly TokenListParser<EvalToken, Token<EvalToken>> Name =
        Token.EqualTo(EvalToken.Word).Named("a name");

    public static readonly TokenListParser<EvalToken, Token<EvalToken>> Text =
        Token.EqualTo(EvalToken.String).Or(Token.EqualTo(EvalToken.TextBlock)).Named("a string");

    public static readonly TokenListParser<EvalToken, Token<EvalToken>> InlineText =
        Token.EqualTo(EvalToken.String).Named("a string");

    public static readonly TokenListParser<EvalToken, Token<EvalToken>> Number =
        Token.EqualTo(EvalToken.Number).Named("a number");

    public static readonly TokenListParser<EvalToken, Token<EvalToken>> Percentage =
        Token.EqualTo(EvalToken.Percentage).Named("a percentage such as 80%");

    public static readonly TokenListParser<EvalToken, Token<EvalToken>> Regex =
        Token.EqualTo(EvalToken.Regex).Named("a regular expression such as /pattern/i");

    public static readonly TokenListParser<EvalToken, Token<EvalToken>> OpenBrace =
        Token.EqualTo(EvalToken.LBrace).Named("'{' at the end of the line");

    public static readonly TokenListParser<EvalToken, Token<EvalToken>> ForEach =
        Token.EqualToValue(EvalToken.Word, "for").Named("'for each'")
            .IgnoreThen(Token.EqualToValue(EvalToken.Word, "each").Named("'each' after 'for'"));

    public static readonly TokenListParser<EvalToken, Token<EvalToken>> From =
        Token.EqualToValue(EvalToken.Word, "from").Named("'from'");

    public static readonly TokenListParser<EvalToken, Token<EvalToken>[]> NameList =
        Name.AtLeastOnceDelimitedBy(Token.EqualTo(EvalToken.Comma).Named("','"));

    public static readonly TokenListParser<EvalToken, Token<EvalToken>[]> HeaderRow =
        Token.EqualTo(EvalToken.Word).Named("a column name")
            .AtLeastOnceDelimitedBy(Token.EqualTo(EvalToken.Pipe).Named("'|'"));

    public static readonly TokenListParser<EvalToken, Token<EvalToken>[]> DataRow =
        Token.EqualTo(EvalToken.String).Or(Token.EqualTo(EvalToken.TextBlock)).Named("a quoted cell such as \"text\" (an empty cell is \"\")")
            .AtLeastOnceDelimitedBy(Token.EqualTo(EvalToken.Pipe).Named("'|'"));
}
