package io.desire.tools.demo.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Measures the live page's click-to-updated-list time on a running demo, in the browser, as a person
 * would see it: picks a recently active user by id, presses "click" or "view" on a random item of their list
 * and waits for the list that reflects it; repeats, then prints the median and the 90th percentile.
 *
 * <pre>java -cp &lt;jobs test classpath&gt; io.desire.tools.demo.web.ClickLatencyProbe http://127.0.0.1:PORT/ [clicks [screenshot.png]]</pre>
 */
public final class ClickLatencyProbe {
    private ClickLatencyProbe() {}

    /** A recently active user, from the page's own endpoint. */
    private static String randomActiveUser(String url) {
        try {
            String body = java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "api/users/random"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body();
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(body)
                    .path("user")
                    .asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) {
        String url = args[0];
        int clicks = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Random random = new Random(42);
        List<Long> ms = new ArrayList<>();
        int failed = 0;
        try (LivePageDriver browser = new LivePageDriver(url)) {
            for (int i = 0; i < clicks; i++) {
                String user = randomActiveUser(url);
                browser.pickUser(user);
                browser.await(
                        Duration.ofSeconds(30),
                        d -> browser.text("doc-user").contains(user + " @")
                                        && browser.items().size() > 1
                                ? Boolean.TRUE
                                : null);
                List<String> items = browser.items();
                String item = items.get(random.nextInt(items.size()));
                long t;
                try {
                    t = browser.act(item, random.nextBoolean() ? "click" : "view", Duration.ofSeconds(30));
                } catch (org.openqa.selenium.NoSuchElementException e) {
                    i--; // the user's own traffic redrew the list without that item: choose again
                    continue;
                } catch (org.openqa.selenium.TimeoutException e) {
                    System.out.println("click " + (i + 1) + ": no updated list within 30 s (" + browser.text("latency")
                            + " / " + browser.text("message") + ")");
                    failed++;
                    continue;
                }
                ms.add(t);
                System.out.println("click " + (i + 1) + ": " + t + " ms");
            }
            if (args.length > 2) {
                browser.screenshot(java.nio.file.Path.of(args[2]));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Collections.sort(ms);
        System.out.println("clicks " + ms.size() + " (" + failed + " without a change within 30 s), p50 "
                + ms.get((ms.size() - 1) / 2) + " ms, p90 " + ms.get((int) Math.ceil(0.9 * ms.size()) - 1) + " ms, max "
                + ms.get(ms.size() - 1) + " ms");
    }
}
