package io.desire.features.context;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeviceClassifierTest {

    @ParameterizedTest(name = "device={0} os={1} -> {2}")
    @CsvSource(
            nullValues = "-",
            value = {
                "phone,       -,            mobile",
                "Mobile,      -,            mobile",
                "SMARTPHONE,  -,            mobile",
                "'iPhone14,2', -,           mobile",
                "tablet,      -,            tablet",
                "iPad,        -,            tablet",
                "desktop,     -,            desktop",
                "Laptop,      -,            desktop",
                "PC,          -,            desktop",
                "tv,          -,            tv",
                "Smart TV,    -,            tv",
                "smart-tv,    -,            tv",
                "smart_tv,    -,            tv",
                "console,     -,            tv",
                "-,           iOS,          mobile",
                "-,           iOS 17.4,     mobile",
                "-,           Android 14,   mobile",
                "-,           iPadOS,       tablet",
                "-,           Windows 11,   desktop",
                "-,           macOS,        desktop",
                "-,           Mac OS X 10.15, desktop",
                "-,           Linux,        desktop",
                "-,           ChromeOS,     desktop",
                "-,           tvOS,         tv",
                "-,           Tizen,        tv",
                "-,           webOS,        tv",
                "-,           Roku,         tv",
                "-,           AndroidTV,    tv",
                "-,           Android TV 12, tv",
                // device decides before os
                "tablet,      android,      tablet",
                "desktop,     iOS,          desktop",
                // unknown device falls back to os
                "fridge,      android,      mobile",
                "watch,       watchOS,      other",
                "-,           -,            other",
                "'',          '',           other",
                "'   ',       -,            other",
            })
    void classifies(String device, String os, String expected) {
        assertThat(DeviceClassifier.classify(device, os)).isEqualTo(expected);
    }

    @Test
    void classesAreTheFiveDocumentedOnes() {
        assertThat(DeviceClassifier.OTHER).isEqualTo(ContextDefaults.OTHER_DEVICE);
        assertThat(DeviceClassifier.classify("x".repeat(10_000), null)).isEqualTo("other");
    }
}
