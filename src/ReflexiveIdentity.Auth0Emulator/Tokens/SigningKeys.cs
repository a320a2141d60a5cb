using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace ReflexiveIdentity.Auth0Emulation.Tokens;

/// <summary>The tenant's RS256 signing key, made at start and published in the JWKS.</summary>
internal sealed class SigningKeys : IDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly JsonObject _jwk;

    public SigningKeys()
    {
        Key = new RsaSecurityKey(_rsa) { KeyId = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)) };
        Credentials = new SigningCredentials(Key, SecurityAlgorithms.RsaSha256);
        var parameters = _rsa.ExportParameters(includePrivateParameters: false);
        _jwk = new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = SecurityAlgorithms.RsaSha256,
            ["kid"] = Key.KeyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }

    public RsaSecurityKey Key { get; }

    public SigningCredentials Credentials { get; }

    /// <summary>The public half as Auth0 publishes it at <c>/.well-known/jwks.json</c>.</summary>
    public JsonObject ToJwks() => new() { ["keys"] = new JsonArray(_jwk.DeepClone()) };

    public void Dispose() => _rsa.Dispose();
}
