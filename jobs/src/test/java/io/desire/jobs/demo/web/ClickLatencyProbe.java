package io.desire.jobs.demo.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.openqa.selenium.By;

/**
 * Measures the live page's click-to-updated-list time on a running demo, in the browser, as a person
 * would see it: picks a random active user, presses "click" or "view" on a random item of their list
 * and waits for the list that reflects it; repeats, then prints the median and the 90th percentile.
 *
 * <pre>java -cp &lt;jobs test classpath&gt; io.desire.jobs.demo.web.ClickLatencyProbe http://127.0.0.1:PORT/ [clicks]</pre>
 */
public final class ClickLatencyProbe {
    private ClickLatencyProbe() {}

    public static void main(String[] args) {
        String url = args[0];
        int clicks = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Random random = new Random(42);
        List<Long> ms = new ArrayList<>();
        try (LivePageDriver browser = new LivePageDriver(url)) {
            for (int i = 0; i < clicks; i++) {
                browser.browser().findElement(By.id("random-user")).click();
                browser.await(Duration.ofSeconds(30), d -> {
                    String user = d.findElement(By.id("user-input")).getDomProperty("value");
                    return browser.text("doc-user").contains(user + " @") && browser.items().size() > 1 ? Boolean.TRUE : null;
                });
                List<String> items = browser.items();
                String item = items.get(random.nextInt(items.size()));
                long t = browser.act(item, random.nextBoolean() ? "click" : "view", Duration.ofSeconds(30));
                ms.add(t);
                System.out.println("click " + (i + 1) + ": " + t + " ms");
            }
        }
        Collections.sort(ms);
        System.out.println("clicks " + ms.size() + ", p50 " + ms.get((ms.size() - 1) / 2) + " ms, p90 "
                + ms.get((int) Math.ceil(0.9 * ms.size()) - 1) + " ms, max " + ms.get(ms.size() - 1) + " ms");
    }
}
