package io.desire.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's three charts as inline SVG, from plain numbers: grouped bars, lines over a shared x
 * axis, and a reliability diagram (lines over the unit square's diagonal). Self-contained: no script,
 * font or file; every label is escaped. Value axes start at 0 and end at a round ceiling of the
 * largest value, with four grid lines.
 */
final class SvgChart {

    private static final String[] SERIES_COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"};
    private static final String[] FIT_COLOURS = {"#1f77b4", "#aec7e8", "#d62728", "#ff9896"};
    private static final String SVG_NS = "http://www.w3.org/2000/svg";

    private final StringBuilder sb = new StringBuilder();

    private SvgChart(String id, int width, int height, String ariaLabel) {
        sb.append("<svg id=\"").append(id).append("\" xmlns=\"").append(SVG_NS).append("\" width=\"");
        sb.append(width).append("\" height=\"").append(height).append('"');
        if (ariaLabel != null) {
            sb.append(" role=\"img\" aria-label=\"").append(ariaLabel).append('"');
        }
        sb.append(">\n");
    }

    /**
     * Grouped bars: one group per name, one bar per series (value on top), a legend of the series.
     *
     * @param values {@code values[group][series]}
     */
    static String bars(
            String id,
            String ariaLabel,
            String title,
            List<String> groups,
            String[] seriesKeys,
            String[] legend,
            double[][] values) {
        int width = 760;
        int height = 300;
        int left = 50;
        int bottom = 60;
        double max = 0;
        for (double[] g : values) {
            for (double v : g) {
                max = Math.max(max, v);
            }
        }
        max = niceCeiling(max);
        SvgChart c = new SvgChart(id, width, height, ariaLabel);
        c.title(left, title);
        double plotH = height - 30 - bottom;
        c.axis(left, 30, width - 10, height - bottom, max, plotH);
        double group = (width - left - 20) / (double) Math.max(1, groups.size());
        double bar = Math.min(40, group / 3);
        for (int g = 0; g < groups.size(); g++) {
            double x0 = left + 10 + g * group + (group - seriesKeys.length * bar) / 2;
            String name = ReportHtml.esc(groups.get(g));
            for (int b = 0; b < seriesKeys.length; b++) {
                double v = values[g][b];
                double hgt = max == 0 ? 0 : v / max * plotH;
                double x = x0 + b * bar;
                double y = height - bottom - hgt;
                c.f(
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s %s %.4f</title></rect>\n",
                        x, y, bar - 2, hgt, SERIES_COLOURS[b], name, seriesKeys[b], v);
                c.f(
                        "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">%.3f</text>\n",
                        x + (bar - 2) / 2, y - 3, v);
            }
            c.f(
                    "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s</text>\n",
                    x0 + bar, height - bottom + 18, name);
        }
        for (int i = 0; i < legend.length; i++) {
            int x = width - 220 + i * 110;
            c.f(
                    "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>\n",
                    x, height - 32, SERIES_COLOURS[i], x + 16, height - 22, ReportHtml.esc(legend[i]));
        }
        return c.close();
    }

    /**
     * Lines over a shared x axis: series {@code s} in the colour of {@code s / 2}, dashed when odd (pairs
     * of a figure, e.g. online solid and static dashed); a point is drawn when there is only one.
     *
     * @param ys {@code ys[series][point]}
     */
    static String lines(
            String id, String ariaLabel, String title, double[] xs, double[][] ys, String[] labels, String emptyText) {
        int width = 760;
        int height = 320;
        int left = 50;
        int bottom = 60;
        int top = 30;
        int right = 20;
        double max = 0;
        double maxX = 1;
        for (int p = 0; p < xs.length; p++) {
            for (double[] series : ys) {
                max = Math.max(max, series[p]);
            }
            maxX = Math.max(maxX, xs[p]);
        }
        max = niceCeiling(max);
        SvgChart c = new SvgChart(id, width, height, ariaLabel);
        c.title(left, title);
        double plotH = height - top - bottom;
        double plotW = width - left - right;
        c.axis(left, top, width - right, height - bottom, max, plotH);
        for (int t = 0; t <= 4; t++) {
            c.f(
                    "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%d</text>\n",
                    left + plotW * t / 4, height - bottom + 14, Math.round(maxX * t / 4));
        }
        if (xs.length == 0) {
            c.f("<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>\n", left + 20, top + 40, emptyText);
        }
        for (int s = 0; s < ys.length; s++) {
            List<String> points = new ArrayList<>();
            for (int p = 0; p < xs.length; p++) {
                double x = left + plotW * xs[p] / maxX;
                double y = height - bottom - (max == 0 ? 0 : ys[s][p] / max * plotH);
                points.add(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
            }
            String colour = SERIES_COLOURS[s / 2];
            c.f(
                    "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"%s\"><title>%s</title></polyline>\n",
                    colour, dash(s), String.join(" ", points), ReportHtml.esc(labels[s]));
            if (xs.length == 1) {
                String[] xy = points.get(0).split(",");
                c.f("<circle cx=\"%s\" cy=\"%s\" r=\"3\" fill=\"%s\"/>\n", xy[0], xy[1], colour);
            }
        }
        for (int s = 0; s < ys.length; s++) {
            int lx = left + 170 * s;
            c.f(
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>"
                            + "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>\n",
                    lx,
                    height - 18,
                    lx + 24,
                    height - 18,
                    SERIES_COLOURS[s / 2],
                    dash(s),
                    lx + 28,
                    height - 14,
                    ReportHtml.esc(labels[s]));
        }
        return c.close();
    }

    /** One line of a reliability diagram: its legend and its points (mean prediction, observed rate). */
    record Curve(String label, double[] predicted, double[] observed) {}

    /** A reliability diagram: each curve over the dashed diagonal of perfect calibration, on [0, 1]². */
    static String reliability(String id, List<Curve> curves) {
        int size = 320;
        int left = 50;
        int top = 20;
        int plot = size - left - 30;
        SvgChart c = new SvgChart(id, size + 160, size, null);
        c.f(
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>\n",
                left, top, plot, plot);
        c.f(
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#bbb\" stroke-dasharray=\"4 3\"/>\n",
                left, top + plot, left + plot, top);
        c.f(
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\">predicted probability</text>\n",
                left + plot / 2, top + plot + 28);
        c.f(
                "<text x=\"14\" y=\"%d\" font-size=\"12\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">"
                        + "observed positive rate</text>\n",
                top + plot / 2, top + plot / 2);
        for (double t : new double[] {0, 0.5, 1}) {
            String tick = ReportHtml.fmt(t);
            c.f(
                    "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>\n",
                    left + t * plot, top + plot + 14, tick);
            c.f(
                    "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>\n",
                    left - 4, top + (1 - t) * plot + 4, tick);
        }
        for (int i = 0; i < curves.size(); i++) {
            Curve curve = curves.get(i);
            StringBuilder points = new StringBuilder();
            for (int p = 0; p < curve.predicted().length; p++) {
                double x = left + curve.predicted()[p] * plot;
                double y = top + (1 - curve.observed()[p]) * plot;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            String colour = FIT_COLOURS[i % FIT_COLOURS.length];
            c.f(
                    "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>\n",
                    colour, points.toString().trim());
            c.f(
                    "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"%s\">%s</text>\n",
                    left + plot + 10, top + 14 + 18 * i, colour, ReportHtml.esc(curve.label()));
        }
        return c.close();
    }

    private void title(int x, String text) {
        f("<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>\n", x, text);
    }

    /** The two axes from (x0, y1) and four horizontal grid lines labelled with their value. */
    private void axis(int x0, int y0, int x1, int y1, double max, double plotH) {
        f(
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n",
                x0, y0, x0, y1, x0, y1, x1, y1);
        for (int t = 1; t <= 4; t++) {
            double y = y1 - plotH * t / 4;
            f(
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%.2f</text>\n",
                    x0 + 1, y, x1, y, x0 - 4, y + 3, max * t / 4);
        }
    }

    private static String dash(int series) {
        return series % 2 == 1 ? " stroke-dasharray=\"5,4\"" : "";
    }

    private void f(String format, Object... args) {
        sb.append(String.format(Locale.ROOT, format, args));
    }

    private String close() {
        return sb.append("</svg>\n").toString();
    }

    /** 1, 2, 2.5 or 5 times a power of ten, at least {@code v}; 1 when there is nothing to show. */
    static double niceCeiling(double v) {
        if (!(v > 0)) {
            return 1;
        }
        double step = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * step >= v) {
                return m * step;
            }
        }
        return 10 * step;
    }
}
