using WhisperEngine.Memory.Emotion;

namespace WhisperEngine.UnitTests.Memory;

public sealed class EmotionClassifierTests
{
    private readonly EmotionClassifier _classifier = new();

    [Theory]
    [InlineData("I got the job, I'm so happy!", EmotionLabel.Joy)]
    [InlineData("We won the final, what a great day", EmotionLabel.Joy)]
    [InlineData("My dog died yesterday and I can't stop crying", EmotionLabel.Sadness)]
    [InlineData("I feel so lonely since she left", EmotionLabel.Sadness)]
    [InlineData("I'm furious, they cancelled my flight again", EmotionLabel.Anger)]
    [InlineData("This is so frustrating, I hate waiting", EmotionLabel.Anger)]
    [InlineData("I'm really worried about the surgery tomorrow", EmotionLabel.Fear)]
    [InlineData("I'm nervous and stressed about the exam", EmotionLabel.Fear)]
    [InlineData("Wow, I did not expect that at all, I'm shocked", EmotionLabel.Surprise)]
    [InlineData("I love you so much, you are the sweetest", EmotionLabel.Affection)]
    [InlineData("I miss you", EmotionLabel.Affection)]
    [InlineData("I can't wait for the concert!", EmotionLabel.Joy)]
    public void Classify_PlainEmotionalMessage_FindsTheEmotion(string text, EmotionLabel expected) =>
        Assert.Equal(expected, _classifier.Classify(text).Label);

    [Theory]
    [InlineData("The meeting is at 3 pm in room 12.")]
    [InlineData("What is the capital of Peru?")]
    [InlineData("I went to the shop and bought bread.")]
    [InlineData("")]
    public void Classify_FactualMessage_IsNeutral(string text)
    {
        var reading = _classifier.Classify(text);

        Assert.Equal(EmotionLabel.Neutral, reading.Label);
        Assert.Equal(0, reading.Intensity);
    }

    [Fact]
    public void Classify_NegatedJoy_IsMildSadnessNotJoy()
    {
        Assert.Equal(EmotionLabel.Sadness, _classifier.Classify("I'm not happy at all with how it went, really not happy").Label);
        Assert.NotEqual(EmotionLabel.Joy, _classifier.Classify("I am not happy").Label);
    }

    [Theory]
    [InlineData("I'm not worried about it")]
    [InlineData("Honestly I wasn't angry")]
    [InlineData("I'm not sad, just tired of the rain")]
    public void Classify_NegatedNegativeEmotion_IsNotThatEmotion(string text)
    {
        var label = _classifier.Classify(text).Label;

        Assert.NotEqual(EmotionLabel.Fear, label);
        Assert.NotEqual(EmotionLabel.Anger, label);
        Assert.NotEqual(EmotionLabel.Sadness, label);
    }

    [Fact]
    public void Classify_NegationInAnEarlierClause_DoesNotReachTheEmotionWord()
    {
        Assert.Equal(EmotionLabel.Joy, _classifier.Classify("It did not rain. I'm happy").Label);
    }

    [Fact]
    public void Classify_Intensifier_StrongerThanPlainAndDampenerWeaker()
    {
        var plain = _classifier.Classify("I am sad and upset").Intensity;
        var strong = _classifier.Classify("I am extremely sad and really upset").Intensity;
        var weak = _classifier.Classify("I am slightly sad and a bit upset").Intensity;

        Assert.True(strong > plain, $"{strong} <= {plain}");
        Assert.True(weak < plain, $"{weak} >= {plain}");
    }

    [Fact]
    public void Classify_DampenedSingleWord_FallsBelowTheThreshold()
    {
        Assert.Equal(EmotionLabel.Anger, _classifier.Classify("I'm annoyed").Label);
        Assert.Equal(EmotionLabel.Neutral, _classifier.Classify("I'm slightly annoyed").Label);
    }

    [Fact]
    public void Classify_CapitalsAndExclamations_RaiseTheIntensity()
    {
        var calm = _classifier.Classify("I am angry").Intensity;
        var shouted = _classifier.Classify("I am ANGRY!!!").Intensity;

        Assert.True(shouted > calm, $"{shouted} <= {calm}");
    }

    [Theory]
    [InlineData("ok 😭", EmotionLabel.Sadness)]
    [InlineData("see you there 😂", EmotionLabel.Joy)]
    [InlineData("thanks ❤️", EmotionLabel.Affection)]
    [InlineData("what 😱", EmotionLabel.Fear)]
    [InlineData("fine :(", EmotionLabel.Sadness)]
    [InlineData("see you :D", EmotionLabel.Joy)]
    [InlineData("my train is late again 😡", EmotionLabel.Anger)]
    public void Classify_EmojiAndEmoticons_Count(string text, EmotionLabel expected) =>
        Assert.Equal(expected, _classifier.Classify(text).Label);

    [Fact]
    public void Classify_StretchedWords_AreRecognised()
    {
        Assert.Equal(EmotionLabel.Joy, _classifier.Classify("yaaay we did it").Label);
        Assert.Equal(EmotionLabel.Sadness, _classifier.Classify("sooo saaad").Label);
    }

    [Fact]
    public void Name_IsTheLowerCaseLabelAndDescribeReadsItBack()
    {
        var reading = _classifier.Classify("I'm so happy");

        Assert.Equal("joy", reading.Name);
        Assert.Equal("happy", EmotionReading.Describe(reading.Name));
        Assert.Null(EmotionReading.Describe("neutral"));
        Assert.Null(EmotionReading.Describe("bogus"));
    }
}
