using System.Text;
using ReflexiveIdentity.Http.Security;

namespace ReflexiveIdentity.Http.Tests;

public sealed class WebhookSignatureTests
{
    private const string Secret = "signing-secret-current";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_796_400_000);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"agent_id":"agent_omega"}""");
    private readonly WebhookSignature signature = new([Secret, "signing-secret-previous"]);

    [Fact]
    public void Sign_MatchesHmacOfTimestampDotBody()
    {
        // Independent computation: HMAC-SHA256(secret, "<ts>.<body>") as the Action computes it.
        using var hmac = new System.Security.Cryptography.HMACSHA256(Encoding.UTF8.GetBytes(Secret));
        var expected = Convert.ToHexStringLower(hmac.ComputeHash(Encoding.UTF8.GetBytes("1796400000." + Encoding.UTF8.GetString(Body))));

        Assert.Equal("v1=" + expected, WebhookSignature.Sign(Secret, 1_796_400_000, Body));
    }

    [Fact]
    public void Check_CurrentSecret_IsValid() =>
        Assert.Equal(SignatureCheck.Valid, Check(WebhookSignature.Sign(Secret, Now.ToUnixTimeSeconds(), Body), Now.ToUnixTimeSeconds()));

    [Fact]
    public void Check_PreviousSecretDuringRotation_IsValid() =>
        Assert.Equal(SignatureCheck.Valid, Check(WebhookSignature.Sign("signing-secret-previous", Now.ToUnixTimeSeconds(), Body), Now.ToUnixTimeSeconds()));

    [Fact]
    public void Check_OneOfSeveralSignaturesMatches_IsValid() =>
        Assert.Equal(SignatureCheck.Valid, Check($"v1={new string('0', 64)}, {WebhookSignature.Sign(Secret, Now.ToUnixTimeSeconds(), Body)}", Now.ToUnixTimeSeconds()));

    [Theory]
    [InlineData(300, SignatureCheck.Valid)]
    [InlineData(-300, SignatureCheck.Valid)]
    [InlineData(301, SignatureCheck.Stale)]
    [InlineData(-301, SignatureCheck.Stale)]
    public void Check_TimestampWindow_Is300Seconds(int offsetSeconds, SignatureCheck expected)
    {
        var ts = Now.ToUnixTimeSeconds() + offsetSeconds;

        Assert.Equal(expected, Check(WebhookSignature.Sign(Secret, ts, Body), ts));
    }

    [Theory]
    [InlineData(null, "v1=00")]
    [InlineData("1796400000", null)]
    [InlineData("", "")]
    public void Check_MissingHeader_IsMissing(string? timestamp, string? header) =>
        Assert.Equal(SignatureCheck.Missing, signature.Check(timestamp, header, Body, Now));

    [Theory]
    [InlineData("soon", "v1=abc")]
    [InlineData("1796400000", "sha256=abcdef")]
    [InlineData("1796400000", "v1=zz00000000000000000000000000000000000000000000000000000000000000")]
    public void Check_MalformedHeader_IsMalformed(string timestamp, string header) =>
        Assert.Equal(SignatureCheck.Malformed, signature.Check(timestamp, header, Body, Now));

    [Fact]
    public void Check_UnknownSecret_IsMismatch() =>
        Assert.Equal(SignatureCheck.Mismatch, Check(WebhookSignature.Sign("someone-elses-secret", Now.ToUnixTimeSeconds(), Body), Now.ToUnixTimeSeconds()));

    [Fact]
    public void Check_OtherTimestampThanSigned_IsMismatch() =>
        Assert.Equal(SignatureCheck.Mismatch, Check(WebhookSignature.Sign(Secret, Now.ToUnixTimeSeconds(), Body), Now.ToUnixTimeSeconds() - 1));

    private SignatureCheck Check(string header, long timestamp) =>
        signature.Check(timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), header, Body, Now);
}
