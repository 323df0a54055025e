using WhisperEngine.Memory.Facts;

namespace WhisperEngine.UnitTests.Memory.Facts;

public sealed class FactKeyTests
{
    [Theory]
    [InlineData("lives_in", "lives_in")]
    [InlineData("Lives In", "lives_in")]
    [InlineData("  lives-in ", "lives_in")]
    [InlineData("Pet . Dog . Name", "pet.dog.name")]
    [InlineData("Café Owner", "café_owner")]
    [InlineData("__job__", "job")]
    [InlineData("job/title", "job_title")]
    [InlineData("a..b__c", "a.b_c")]
    public void Normalize_Variants_OneKey(string raw, string expected) => Assert.Equal(expected, FactKey.Normalize(raw));

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    [InlineData("!!!")]
    [InlineData("._.")]
    public void Normalize_NothingUsable_Null(string? raw) => Assert.Null(FactKey.Normalize(raw));

    [Fact]
    public void Normalize_LongKey_CutAtMaxLength()
    {
        var key = FactKey.Normalize(new string('a', 100))!;

        Assert.Equal(FactKey.MaxLength, key.Length);
    }

    [Fact]
    public void ForNote_Sentence_NoteKeyOfItsFirstWords()
    {
        Assert.Equal("note.im_allergic_to_peanuts", FactKey.ForNote("I'm allergic to peanuts."));
        Assert.Equal("note.my_sister_maria_lives_in_porto", FactKey.ForNote("My sister Maria lives in Porto and works at the port."));
        Assert.Equal("note.text", FactKey.ForNote("!!!"));
    }
}
