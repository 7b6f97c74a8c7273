using Superpower.Display;

namespace EvalDsl.Lexing;

/// <summary>The kinds of token in one statement line. Keywords are words recognised by position, not reserved.</summary>
internal enum EvalToken
{
    [Token(Category = "word", Example = "user")]
    Word,

    [Token(Category = "number", Example = "5")]
    Number,

    [Token(Category = "percentage", Example = "80%")]
    Percentage,

    [Token(Category = "string", Example = "\"text\"")]
    String,

    [Token(Category = "text block", Example = "\"\"\"")]
    TextBlock,

    [Token(Category = "regular expression", Example = "/pattern/i")]
    Regex,

    [Token(Example = "{")]
    LBrace,

    [Token(Example = "}")]
    RBrace,

    [Token(Example = "|")]
    Pipe,

    [Token(Example = ",")]
    Comma,

    [Token(Category = "symbol")]
    Symbol,
}
