using Streams.Actors.Ingestion;

namespace Streams.Actors.Tests;

public sealed class FailingSubjectsTests
{
    [Fact]
    public void A_subject_that_keeps_failing_is_listed_with_its_attempts_and_last_problem_until_it_recovers()
    {
        var metrics = new PipelineMetrics();
        metrics.SubjectFailing("pegel/1", "not stored: disk full");
        metrics.SubjectFailing("pegel/1", "no acknowledgment within 3 s");
        metrics.SubjectFailing("bus/7", "not stored: disk full");

        var failing = metrics.FailingSubjects;
        Assert.Equal(["pegel/1", "bus/7"], failing.Select(f => f.Subject));
        Assert.Equal(2, failing[0].Attempts);
        Assert.Equal("no acknowledgment within 3 s", failing[0].Problem);

        metrics.SubjectRecovered("pegel/1");
        Assert.Equal(["bus/7"], metrics.FailingSubjects.Select(f => f.Subject));
    }
}
