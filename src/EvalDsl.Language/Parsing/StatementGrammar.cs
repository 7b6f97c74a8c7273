using System;
using System.Collections.Generic;
using System.Linq;
using Superpower;
using Superpower.Model;
using Superpower.Parsers;
using EvalDsl.Lexing;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Parsing;

/// <summary>
/// The grammar of one statement line, as Superpower token-list parsers: the parts of a statement, then each
/// statement whose form is regular, keyword included. A block dispatches a line on its keyword (see
/// <see cref="KeywordTable"/>) and runs the statement's parser with <see cref="StatementCursor"/>, which turns a
/// failure (its position and expectations) into EVAL0001 and checks that the line ends after the statement; the
/// value is kept when only extra tokens follow, so a statement keeps what parsed before its first error.
/// Hand code stays where a form is not regular or its recovery is not a parse failure: the headers that keep a
/// title while a later part fails (<c>case … for each</c>, <c>data … from</c>, in <see cref="Declarations"/>),
/// the behavior phrase's mis-cased keywords and text blocks (<see cref="Expectations"/>), and
/// <c>pass</c> with a bare number (<see cref="SettingStatements"/>).
/// </summary>
internal static class StatementGrammar
{
    // ---- parts ---------------------------------------------------------------------------------------

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

    public static readonly TokenListParser<EvalToken, Token<EvalToken>> Where =
        Token.EqualToValue(EvalToken.Word, "where").Named("'where'");

    public static readonly TokenListParser<EvalToken, Token<EvalToken>> And =
        Token.EqualToValue(EvalToken.Word, "and").Named("'and'");

    // The parsers used inside the lambdas of other parsers are made once, here: a parser made at each use was made
    // again for every statement, and Superpower's token parsers read their token's attributes when they are made
    // (half of the time a spec of 2,000 cases took to compile).
    private static readonly TokenListParser<EvalToken, bool> IsNot =
        Token.EqualToValue(EvalToken.Word, "is").Named("'is'").IgnoreThen(Token.EqualToValue(EvalToken.Word, "not").Value(true).OptionalOrDefault(false));

    private static readonly TokenListParser<EvalToken, Token<EvalToken>> QuotedValue = Token.EqualTo(EvalToken.String).Named("a quoted value");

    private static readonly TokenListParser<EvalToken, Token<EvalToken>> NotOrQuotedValue = Token.EqualTo(EvalToken.String).Named("'not' or a quoted value");

    /// <summary>A condition of a data file's <c>where</c> clause: <c>COL is [not] TEXT</c>.</summary>
    public static readonly TokenListParser<EvalToken, RowCondition> RowCondition =
        Token.EqualTo(EvalToken.Word).Named("a column name").Then(column =>
            IsNot.Then(negated => (negated ? QuotedValue : NotOrQuotedValue).Select(value => new RowCondition(column, negated, value))));

    private static readonly TokenListParser<EvalToken, Token<EvalToken>> Comma =
        Token.EqualTo(EvalToken.Comma).Named("','");

    private static readonly TokenListParser<EvalToken, Token<EvalToken>> Pipe =
        Token.EqualTo(EvalToken.Pipe).Named("'|'");

    // Declared before the statements that use it: static fields initialize in order.
    /// <summary>A comma where a list item should be: an empty item, read as that comma without consuming it.</summary>
    private static readonly TokenListParser<EvalToken, TagItem> EmptyItem = input =>
    {
        var next = input.ConsumeToken();
        return next.HasValue && next.Value.Kind == EvalToken.Comma
            ? TokenListParserResult.Value(new TagItem(next.Value, IsEmpty: true), input, input)
            : TokenListParserResult.Empty<EvalToken, TagItem>(input);
    };

    private static TokenListParser<EvalToken, Token<EvalToken>> Keyword(string word) => Token.EqualToValue(EvalToken.Word, word);

    // ---- settings of suites and cases ----------------------------------------------------------------

    /// <summary><c>tags a, b</c>: the tags in order. An empty item (<c>a,, b</c>) is kept as the comma that ends it, so
    /// the tags around it are kept and the comma is reported alone; a leading or trailing comma fails the list.</summary>
    public static readonly TokenListParser<EvalToken, TagItem[]> Tags =
        Keyword("tags").IgnoreThen(
            Name.Select(TagItem.Of).Then(first =>
                Comma.IgnoreThen(Name.Select(TagItem.Of).Or(EmptyItem).Named("a name")).Many()
                    .Select(rest => new[] { first }.Concat(rest).ToArray())));

    public static readonly TokenListParser<EvalToken, Token<EvalToken>> Samples = Keyword("samples").IgnoreThen(Number);

    public static readonly TokenListParser<EvalToken, Token<EvalToken>> Temperature = Keyword("temperature").IgnoreThen(Number);

    /// <summary><c>pass P%</c>; a bare number is taken too, so that its own message can say which percentage was meant.</summary>
    public static readonly TokenListParser<EvalToken, PassValue> Pass =
        Keyword("pass").IgnoreThen(
            Token.EqualTo(EvalToken.Percentage).Select(p => new PassValue(p, IsBare: false))
                .Or(Token.EqualTo(EvalToken.Number).Select(n => new PassValue(n, IsBare: true)))
                .Named("a percentage such as 80%"));

    /// <summary>The <c>of rows</c> after <c>pass P%</c>: the rows of a <c>for each</c> case, not the samples, are counted (the <c>rows</c> word).</summary>
    public static readonly TokenListParser<EvalToken, Token<EvalToken>> OfRows =
        Keyword("of").IgnoreThen(Keyword("rows")).Named("'of rows'");

    public static readonly TokenListParser<EvalToken, Token<EvalToken>> Model = Keyword("model").IgnoreThen(Name);

    /// <summary><c>judge NAME</c>, or a jury <c>judge a, b, c</c>: the names in order (a trailing comma fails the list).</summary>
    public static readonly TokenListParser<EvalToken, Token<EvalToken>[]> Judge =
        Keyword("judge").IgnoreThen(Name.Then(first => Comma.IgnoreThen(Name).Many().Select(rest => new[] { first }.Concat(rest).ToArray())));

    // ---- statements that are a keyword and a string --------------------------------------------------

    private static readonly Dictionary<string, TokenListParser<EvalToken, Token<EvalToken>>> TextStatements =
        new[] { "about", "system", "memory", "user", "assistant", "reference", "means", "cite", "shows", "lacks", "answer" }
            .ToDictionary(k => k, k => Keyword(k).IgnoreThen(Text), StringComparer.Ordinal);

    /// <summary><c>KEYWORD TEXT</c> (a string or a text block): about, system, memory, user, assistant, reference, means, cite, shows, lacks, answer.</summary>
    public static TokenListParser<EvalToken, Token<EvalToken>> TextStatement(string keyword) => TextStatements[keyword];

    // ---- the other turns of a case -------------------------------------------------------------------

    public static readonly TokenListParser<EvalToken, Token<EvalToken>> With = Keyword("with").IgnoreThen(Name);

    /// <summary><c>user [by model NAME] TEXT</c>: the model binding that writes the turn (null for a written one) and the text.</summary>
    public static readonly TokenListParser<EvalToken, (Token<EvalToken>? Model, Token<EvalToken> Text)> UserTurn =
        Keyword("user").IgnoreThen(
            Keyword("by").IgnoreThen(Keyword("model").Named("'model' after 'by'")).IgnoreThen(Name.Named("a model name"))
                .Select(n => (Token<EvalToken>?)n).OptionalOrDefault(null)
                .Then(model => Text.Select(text => (model, text))));

    private static readonly TokenListParser<EvalToken, Token<EvalToken>?> Prefill =
        Keyword("after").IgnoreThen(Text).Select(t => (Token<EvalToken>?)t).OptionalOrDefault(null);

    /// <summary><c>reply [as NAME] [after TEXT]</c>: the reply's name and the prefill the model continues, each null when not given.</summary>
    public static readonly TokenListParser<EvalToken, (Token<EvalToken>? Name, Token<EvalToken>? Prefill)> ReplyTurn =
        Keyword("reply").IgnoreThen(
            Keyword("as").IgnoreThen(Name).Select(n => (Token<EvalToken>?)n).OptionalOrDefault(null)
                .Then(name => Prefill.Select(prefill => (name, prefill))));

    /// <summary>The count of <c>repeat N {</c>.</summary>
    public static readonly TokenListParser<EvalToken, Token<EvalToken>> RepeatHeader = Keyword("repeat").IgnoreThen(Number);

    /// <summary>A line of a vary block: <c>label TEXT</c>.</summary>
    public static readonly TokenListParser<EvalToken, (Token<EvalToken> Label, Token<EvalToken> Text)> VaryLabel =
        Name.Then(label => Text.Select(text => (label, text)));

    // ---- the top of a file ---------------------------------------------------------------------------

    /// <summary><c>use "file.eval"</c>: the path of a spec whose declarations come into scope.</summary>
    public static readonly TokenListParser<EvalToken, Token<EvalToken>> Use = Keyword("use").IgnoreThen(InlineText);

    // ---- headers (before their '{') ------------------------------------------------------------------

    public static readonly TokenListParser<EvalToken, Token<EvalToken>> SuiteHeader = Keyword("suite").IgnoreThen(InlineText);

    public static readonly TokenListParser<EvalToken, Token<EvalToken>> BehaviorHeader = Keyword("behavior").IgnoreThen(InlineText);

    public static readonly TokenListParser<EvalToken, Token<EvalToken>> PersonaHeader = Keyword("persona").IgnoreThen(Name);

    public static readonly TokenListParser<EvalToken, Token<EvalToken>> VaryHeader = Keyword("vary").IgnoreThen(Name);

    /// <summary><c>for LABEL</c> in a case: the vary label whose variants the block's expectations apply to.</summary>
    public static readonly TokenListParser<EvalToken, Token<EvalToken>> ForHeader = Keyword("for").IgnoreThen(Token.EqualTo(EvalToken.Word).Named("a vary label"));

    /// <summary>The title of <c>case TITLE [for each NAME]</c>; the rest is read part by part (see <see cref="Declarations"/>).</summary>
    public static readonly TokenListParser<EvalToken, Token<EvalToken>> CaseHeader = Keyword("case").IgnoreThen(InlineText);

    /// <summary>The name of <c>data NAME (from TEXT | {)</c>; the rest is read part by part (see <see cref="Declarations"/>).</summary>
    public static readonly TokenListParser<EvalToken, Token<EvalToken>> DataHeader = Keyword("data").IgnoreThen(Name);

    // ---- data tables ---------------------------------------------------------------------------------

    public static readonly TokenListParser<EvalToken, Token<EvalToken>[]> HeaderRow =
        Token.EqualTo(EvalToken.Word).Named("a column name").AtLeastOnceDelimitedBy(Pipe);

    public static readonly TokenListParser<EvalToken, Token<EvalToken>[]> DataRow =
        Token.EqualTo(EvalToken.String).Or(Token.EqualTo(EvalToken.TextBlock)).Named("a quoted cell such as \"text\" (an empty cell is \"\")")
            .AtLeastOnceDelimitedBy(Pipe);

    // ---- expectations ----------------------------------------------------------------------------------

    /// <summary><c>must|should [not]</c>: true when negated.</summary>
    public static readonly TokenListParser<EvalToken, bool> ExpectationHead =
        Keyword("must").Or(Keyword("should")).IgnoreThen(Keyword("not").Value(true).OptionalOrDefault(false));

    /// <summary><c>contain TEXT</c>, <c>match REGEX</c> or <c>choose TEXT</c>. Backtracks, so that <c>must contain risks</c> is a behavior phrase.</summary>
    public static readonly TokenListParser<EvalToken, Check> CheckPhrase =
        Keyword("contain").Then(k => Text.Select(t => new Check(ExpectationKind.Contain, k, t))).Try()
            .Or(Keyword("match").Then(k => Regex.Select(r => new Check(ExpectationKind.Match, k, r))).Try())
            .Or(Keyword("choose").Then(k => Text.Select(t => new Check(ExpectationKind.Choose, k, t))).Try());

    private static readonly TokenListParser<EvalToken, Token<EvalToken>> OfKeyword = Keyword("of");

    private static readonly TokenListParser<EvalToken, bool> AnyOrAllOf =
        Keyword("any").Value(false).Or(Keyword("all").Value(true)).Then(all => OfKeyword.Value(all));

    /// <summary><c>contain any of</c> or <c>contain all of</c>: true for <c>all</c>. Backtracks, so that <c>must contain
    /// any risks</c> stays a behavior phrase.</summary>
    public static readonly TokenListParser<EvalToken, (Token<EvalToken> Contain, bool All)> AlternativesHead =
        Keyword("contain").Then(contain => AnyOrAllOf.Select(all => (contain, all))).Try();

    /// <summary><c>{col}</c> after <c>any of</c>/<c>all of</c>: its braces (what is between them is read from the source,
    /// so that <c>{a.b}</c> and <c>{a[0]}</c> are columns too).</summary>
    public static readonly TokenListParser<EvalToken, (Token<EvalToken> Open, Token<EvalToken> Close)> BracedColumn = input =>
    {
        const string expected = "a data column in braces such as {aliases}";
        var open = input.ConsumeToken();
        if (!open.HasValue || open.Value.Kind != EvalToken.LBrace) return TokenListParserResult.Empty<EvalToken, (Token<EvalToken>, Token<EvalToken>)>(input, new[] { expected });
        var rest = open.Remainder;
        while (true)
        {
            var next = rest.ConsumeToken();
            if (!next.HasValue) return TokenListParserResult.Empty<EvalToken, (Token<EvalToken>, Token<EvalToken>)>(rest, new[] { "'}'" });
            if (next.Value.Kind == EvalToken.RBrace) return TokenListParserResult.Value((open.Value, next.Value), input, next.Remainder);
            rest = next.Remainder;
        }
    };

    private static readonly TokenListParser<EvalToken, Token<EvalToken>> Slash = Token.EqualToValue(EvalToken.Symbol, "/");

    /// <summary><c>Contain "x"</c>, <c>Match /x/</c>: a check with a mis-cased keyword, not a behavior phrase (the regex
    /// is not lexed after a mis-cased <c>match</c>, so its '/' is a symbol).</summary>
    public static readonly TokenListParser<EvalToken, (Token<EvalToken> Token, string Keyword)> MiscasedCheck =
        Miscased("contain").Then(k => Text.Value((k, "contain"))).Try()
            .Or(Miscased("match").Then(k => Slash.Value((k, "match"))).Try());

    /// <summary>A mis-cased <c>not</c> after must/should.</summary>
    public static readonly TokenListParser<EvalToken, Token<EvalToken>> MiscasedNot = Miscased("not");

    /// <summary>The words of a behavior phrase: the rest of the line up to a text block, which a phrase cannot hold.</summary>
    public static readonly TokenListParser<EvalToken, Token<EvalToken>[]> PhraseWords =
        Token.Matching<EvalToken>(kind => kind != EvalToken.TextBlock, "a phrase word").Many();

    /// <summary>A phrase that is exactly <c>hold its answer</c> (any case).</summary>
    public static readonly TokenListParser<EvalToken, Token<EvalToken>> HoldsAnswer =
        Token.EqualToValueIgnoreCase(EvalToken.Word, "hold")
            .IgnoreThen(Token.EqualToValueIgnoreCase(EvalToken.Word, "its"))
            .IgnoreThen(Token.EqualToValueIgnoreCase(EvalToken.Word, "answer"))
            .AtEnd();

    /// <summary>A phrase that starts <c>answer correctly</c> (any case): the word <c>correctly</c>; what follows is the caller's
    /// (nothing may, see <see cref="Expectations"/>).</summary>
    public static readonly TokenListParser<EvalToken, Token<EvalToken>> AnswerCorrectly =
        Token.EqualToValueIgnoreCase(EvalToken.Word, "answer")
            .IgnoreThen(Token.EqualToValueIgnoreCase(EvalToken.Word, "correctly"));

    /// <summary>A phrase that is exactly <c>be consistent across NAME</c> (the words in any case): the vary's name.</summary>
    public static readonly TokenListParser<EvalToken, Token<EvalToken>> ConsistentAcross =
        Token.EqualToValueIgnoreCase(EvalToken.Word, "be")
            .IgnoreThen(Token.EqualToValueIgnoreCase(EvalToken.Word, "consistent"))
            .IgnoreThen(Token.EqualToValueIgnoreCase(EvalToken.Word, "across"))
            .IgnoreThen(Name)
            .AtEnd();

    /// <summary>A word that is <paramref name="keyword"/> in another case.</summary>
    private static TokenListParser<EvalToken, Token<EvalToken>> Miscased(string keyword) => input =>
    {
        var next = input.ConsumeToken();
        return next.HasValue && next.Value.Kind == EvalToken.Word &&
               next.Value.Span.EqualsValueIgnoreCase(keyword) && !next.Value.Span.EqualsValue(keyword)
            ? TokenListParserResult.Value(next.Value, input, next.Remainder)
            : TokenListParserResult.Empty<EvalToken, Token<EvalToken>>(input, new[] { "'" + keyword + "'" });
    };
}

/// <summary>An item of a <c>tags</c> list: a name, or the comma that ends an empty item.</summary>
internal readonly record struct TagItem(Token<EvalToken> Token, bool IsEmpty)
{
    public static TagItem Of(Token<EvalToken> name) => new(name, IsEmpty: false);
}

/// <summary>The value after <c>pass</c>: a percentage, or a bare number (an error with its own message).</summary>
internal readonly record struct PassValue(Token<EvalToken> Token, bool IsBare);

/// <summary>A parsed <c>COL is [not] TEXT</c> condition.</summary>
internal readonly record struct RowCondition(Token<EvalToken> Column, bool Negated, Token<EvalToken> Value);

/// <summary>A <c>contain</c> or <c>match</c> check: its keyword and its string or regex.</summary>
internal readonly record struct Check(ExpectationKind Kind, Token<EvalToken> Keyword, Token<EvalToken> Value);
