package io.imageworker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocationPolicyTest {

    final LocationPolicy policy = new LocationPolicy(List.of("images", "scans"), "s3://results/jobs/",
            List.of("s3://shared/exports/"));

    @Test
    void inputsFromAllowedBucketsKeepTheirKeyVerbatim() {
        assertThat(policy.input("s3://images/a b/ü/%20.png")).isEqualTo(new S3Location("images", "a b/ü/%20.png"));
        assertThat(policy.input("s3://scans/x.jpg").bucket()).isEqualTo("scans");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://169.254.169.254/latest/meta-data/", "file:///etc/passwd", "https://images.s3.amazonaws.com/a.png",
        "s3://other/a.png", "s3://images/../secrets/a.png", "s3://images/a/./b.png", "S3://images/a.png", "s3:/images/a.png",
        "s3://images/a\u0000.png", "s3://Images/a.png", ""})
    void everythingElseIsRefusedWithAReason(String uri) {
        assertThatThrownBy(() -> policy.input(uri)).isInstanceOf(IllegalArgumentException.class).message().isNotBlank();
    }

    @Test
    void outputDefaultsToTheJobsFolderAndMustStayUnderAllowedPrefixes() {
        assertThat(policy.output(null, "job-1").toString()).isEqualTo("s3://results/jobs/job-1/");
        assertThat(policy.output("s3://results/jobs/mine/", "j").toString()).isEqualTo("s3://results/jobs/mine/");
        assertThat(policy.output("s3://shared/exports/team-a", "j").toString()).isEqualTo("s3://shared/exports/team-a/");
        assertThatThrownBy(() -> policy.output("s3://results/other/", "j")).hasMessageContaining("outside");
        assertThatThrownBy(() -> policy.output("s3://shared/exports/../../x/", "j")).hasMessageContaining("..");
        assertThatThrownBy(() -> policy.output("s3://images/", "j")).hasMessageContaining("outside");
        assertThatThrownBy(() -> policy.output("file:///tmp/", "j")).hasMessageContaining("not an s3:// URI");
    }
}
