using System;
using EvalDsl.Runtime.Models;

namespace EvalDsl.Runtime.Tests.Unit;

public sealed class SecretsTests
{
    [Theory]
    [InlineData("see ftp://admin:hunter2@files.example.com/x", "see ftp://[redacted]@files.example.com/x")]
    [InlineData("https://gw.example.com/v1?api-key=abc123&model=m", "https://gw.example.com/v1?api-key=[redacted]&model=m")]
    [InlineData("https://gw.example.com/v1?model=m&access_token=t0k3n#top", "https://gw.example.com/v1?model=m&access_token=[redacted]#top")]
    [InlineData("https://gw.example.com/v1?sig=s1&x=1", "https://gw.example.com/v1?sig=[redacted]&x=1")]
    [InlineData("https://example.com/path?page=2", "https://example.com/path?page=2")]
    [InlineData("mail someone@example.com", "mail someone@example.com")]
    public void Credentials_in_urls_are_redacted(string text, string expected) => Assert.Equal(expected, Secrets.RedactUrls(text));

    [Fact]
    public void A_registered_secret_is_redacted_whole_even_when_another_contains_it()
    {
        Secrets.Register("tok-1f2e3d4c");
        Secrets.Register("tok-1f2e3d4c-extended-9a8b");
        Assert.Equal("a [redacted] b [redacted] c", Secrets.Redact("a tok-1f2e3d4c-extended-9a8b b tok-1f2e3d4c c"));
    }

    [Fact]
    public void A_reader_that_cleaned_replies_redacts_a_secret_registered_after_them()
    {
        var reader = new ReplyReader(new RunOptions(), TimeProvider.System);
        Assert.Equal("key tok-5d4c3b2a-late", reader.Clean("key tok-5d4c3b2a-late"));
        Secrets.Register("tok-5d4c3b2a-late");
        Assert.Equal("key [redacted]", reader.Clean("key tok-5d4c3b2a-late"));
    }

    // A Fact, not a Theory: xunit's test-case serialization would mangle a lone surrogate before the test sees it.
    [Fact]
    public void Lone_surrogates_become_replacement_characters()
    {
        Assert.Equal("a\uFFFDb", Secrets.WellFormed("a\uD800b"));
        Assert.Equal("a\uFFFD", Secrets.WellFormed("a\uDC00"));
        Assert.Equal("\uD83D\uDE00 ok", Secrets.WellFormed("\uD83D\uDE00 ok"));
        Assert.Equal("\uFFFD\uD83D\uDE00", Secrets.WellFormed("\uD83D\uD83D\uDE00"));
    }
}
