namespace ReflexiveIdentity.Trust;

/// <summary>
/// An assessment and when decay alone, with no new evidence, will first have moved the score enough to record
/// it again (<see cref="TrustScorer.Outlook"/>).
/// </summary>
/// <param name="Assessment">The assessment as of now.</param>
/// <param name="RescoreAt">When the score will have moved enough; null when decay alone never moves it that far.</param>
public sealed record TrustOutlook(TrustAssessment Assessment, DateTimeOffset? RescoreAt);
