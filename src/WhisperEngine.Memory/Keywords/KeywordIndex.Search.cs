using WhisperEngine.Core.Conversations;
using WhisperEngine.Memory.Records;
using WhisperEngine.Memory.Retrieval;
using WhisperEngine.Memory.Storage;

namespace WhisperEngine.Memory.Keywords;

internal sealed partial class KeywordIndex
{
    /// <summary>
    /// Memories in a person's first weeks share most of their words; counted beside the partition's own (as not holding
    /// the word) they keep a word said in half of twenty memories findable, as the PostgreSQL store's search does.
    /// </summary>
    internal const double BackgroundMemories = 100;

    /// <summary>
    /// The best <paramref name="limit"/> memories within <paramref name="scope"/> for a free-text query, ranked as the
    /// SQLite store ranks them (BM25 over text, context and reply with FTS5's weights). A memory must hold a query word
    /// in its text, context or reply; the speaker's name adds to the score of a memory so found and then counts its
    /// words twice, as a match of both branches of the store's FTS5 expression does. A word of a speaker's name in the
    /// query only boosts, unless the query has no other word or <paramref name="namesAsKeywords"/> is set. A word in
    /// half the memories or more finds nothing, and hits scoring below <see cref="KeywordWeights.InformativeScore"/> are
    /// left out.
    /// </summary>
    /// <remarks>
    /// Top-k by MaxScore over the posting lists: the words whose summed upper bounds cannot reach the k-th score only
    /// score the memories the other words find (a binary search each), so a common word costs little once the result is
    /// full. The privacy rule is applied before scoring, so <paramref name="limit"/> allowed memories come back when there are.
    /// </remarks>
    public List<KeywordHit> Search(RecallScope scope, string query, int limit, bool namesAsKeywords)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(query);
        var words = KeywordTerms.Extract(query);
        if (words.Count == 0 || limit <= 0)
        {
            return [];
        }

        _lock.EnterReadLock();
        try
        {
            return _live == 0 ? [] : SearchLocked(scope, words, limit, namesAsKeywords);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private List<KeywordHit> SearchLocked(RecallScope scope, IReadOnlyList<string> words, int limit, bool namesAsKeywords)
    {
        var content = namesAsKeywords ? [.. words] : words.Where(w => !_speakerWords.Contains(w)).ToList();
        var names = namesAsKeywords ? [] : words.Where(_speakerWords.Contains).ToList();
        if (content.Count == 0)
        {
            (content, names) = ([.. words], []);
        }

        var memories = _live + BackgroundMemories;
        var averageLength = (double)_totalLength / _live;
        var boosts = SpeakerBoosts(names.Count > 0 ? names : content, memories);
        var factor = boosts is null ? 1.0 : 2.0;
        var speakerBound = 0.0;
        if (boosts is not null)
        {
            foreach (var boost in boosts)
            {
                speakerBound = Math.Max(speakerBound, boost?.Sum(b => b.Weight * KeywordWeights.Saturate(b.Frequency, 1, averageLength)) ?? 0);
            }
        }

        var terms = new List<(KeywordPostings Postings, double Weight, double Bound)>();
        foreach (var group in content.Select(w => KeywordTokenizer.Term(w)).GroupBy(t => t, StringComparer.Ordinal))
        {
            if (!_termIds.TryGetValue(group.Key, out var id) || _postings[id] is not { Live: > 0 } postings)
            {
                continue;
            }

            // A word typed twice, or two words of one stem, are two phrases of the store's expression: each scores.
            var idf = KeywordWeights.Idf(memories, postings.Live);
            if (idf > KeywordWeights.MinIdf)
            {
                var weight = idf * group.Count();
                terms.Add((postings, weight, factor * weight * KeywordWeights.Saturate(postings.MaxFrequency, postings.MinLength, averageLength)));
            }
        }

        if (terms.Count == 0)
        {
            return [];
        }

        terms.Sort((a, b) => a.Bound.CompareTo(b.Bound));
        var count = terms.Count;
        var bounds = new double[count + 1];
        for (var i = 0; i < count; i++)
        {
            bounds[i + 1] = bounds[i] + terms[i].Bound;
        }

        var channel = _channels.GetValueOrDefault(scope.ChannelId, -1);
        var positions = new int[count];
        // Each memory's score is summed in the terms' order, however the terms were reached, so equal memories score equal.
        var parts = new double[count];
        var heap = new PriorityQueue<KeywordHit, KeywordHit>(limit + 1, WorstFirst.Instance);
        var threshold = KeywordWeights.InformativeScore;
        var essential = 0;
        while (true)
        {
            // Terms below `essential` cannot bring a memory into the result by themselves: they only score.
            while (essential < count && bounds[essential + 1] + speakerBound < threshold)
            {
                essential++;
            }

            if (essential == count)
            {
                break;
            }

            var document = int.MaxValue;
            for (var i = essential; i < count; i++)
            {
                var p = terms[i].Postings;
                if (positions[i] < p.Count && p.Documents[positions[i]] < document)
                {
                    document = p.Documents[positions[i]];
                }
            }

            if (document == int.MaxValue)
            {
                break;
            }

            var allowed = Allows(scope.Privacy, channel, document);
            var length = _lengths[document];
            var score = 0.0;
            Array.Clear(parts);
            for (var i = essential; i < count; i++)
            {
                var p = terms[i].Postings;
                if (positions[i] < p.Count && p.Documents[positions[i]] == document)
                {
                    if (allowed)
                    {
                        parts[i] = terms[i].Weight * KeywordWeights.Saturate(p.Frequencies[positions[i]], length, averageLength);
                        score += parts[i];
                    }

                    positions[i]++;
                }
            }

            if (!allowed)
            {
                continue;
            }

            var boost = boosts?[_speakerOf[document]];
            var multiplier = boost is null ? 1.0 : factor;
            var speakerScore = 0.0;
            if (boost is not null)
            {
                foreach (var (weight, frequency) in boost)
                {
                    speakerScore += weight * KeywordWeights.Saturate(frequency, length, averageLength);
                }
            }

            var pruned = false;
            for (var i = essential - 1; i >= 0; i--)
            {
                if ((multiplier * score) + bounds[i + 1] + speakerScore < threshold)
                {
                    pruned = true;
                    break;
                }

                var p = terms[i].Postings;
                positions[i] = p.Seek(positions[i], document);
                if (positions[i] < p.Count && p.Documents[positions[i]] == document)
                {
                    parts[i] = terms[i].Weight * KeywordWeights.Saturate(p.Frequencies[positions[i]], length, averageLength);
                    score += parts[i];
                }
            }

            if (pruned)
            {
                continue;
            }

            score = 0;
            for (var i = 0; i < count; i++)
            {
                score += parts[i];
            }

            var total = (multiplier * score) + speakerScore;
            if (total < KeywordWeights.InformativeScore)
            {
                continue;
            }

            var hit = new KeywordHit(_ids[document], total);
            if (heap.Count < limit)
            {
                heap.Enqueue(hit, hit);
            }
            else if (WorstFirst.Instance.Compare(hit, heap.Peek()) > 0)
            {
                heap.DequeueEnqueue(hit, hit);
            }

            if (heap.Count == limit)
            {
                threshold = Math.Max(KeywordWeights.InformativeScore, heap.Peek().Score);
            }
        }

        var hits = new List<KeywordHit>(heap.Count);
        while (heap.Count > 0)
        {
            hits.Add(heap.Dequeue());
        }

        hits.Reverse();
        return hits;
    }

    /// <summary>
    /// Per speaker of the partition, what the query's boost words add for a memory of theirs (IDF of the word among
    /// speakers' names, times its weighted count in the name), null for a speaker the words do not name; null when
    /// they name nobody.
    /// </summary>
    private (double Weight, double Frequency)[]?[]? SpeakerBoosts(IReadOnlyList<string> words, double memories)
    {
        (double Weight, double Frequency)[]?[]? boosts = null;
        foreach (var group in words.Select(w => KeywordTokenizer.Term(w)).GroupBy(t => t, StringComparer.Ordinal))
        {
            var documentFrequency = 0;
            foreach (var speaker in _speakers)
            {
                if (speaker.Terms.ContainsKey(group.Key))
                {
                    documentFrequency += speaker.Live;
                }
            }

            if (documentFrequency == 0)
            {
                continue;
            }

            var weight = KeywordWeights.Idf(memories, documentFrequency) * group.Count();
            for (var s = 0; s < _speakers.Count; s++)
            {
                if (_speakers[s].Terms.TryGetValue(group.Key, out var frequency))
                {
                    boosts ??= new (double, double)[]?[_speakers.Count];
                    boosts[s] = [.. boosts[s] ?? [], (weight, KeywordWeights.Speaker * frequency)];
                }
            }
        }

        return boosts;
    }

    /// <summary><see cref="RecallScope.Allows"/> over the index's columns; false for a replaced entry.</summary>
    private bool Allows(PrivacyLevel scope, int channel, int document)
    {
        var privacy = _privacy[document];
        return privacy != Removed && scope switch
        {
            PrivacyLevel.DirectMessage => true,
            PrivacyLevel.PrivateChannel => privacy == (byte)PrivacyLevel.PublicChannel
                || (privacy == (byte)PrivacyLevel.PrivateChannel && _channelOf[document] == channel),
            _ => privacy == (byte)PrivacyLevel.PublicChannel,
        };
    }
}
