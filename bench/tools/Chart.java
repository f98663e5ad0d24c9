import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.imageio.ImageIO;

/**
 * Draws the benchmark chart with Java2D, so no plotting package is needed: grouped bars
 * (median) with min-max whiskers, one panel per measurement. Run as a single-file
 * program: {@code java -Djava.awt.headless=true Chart.java chart.tsv chart.png "title"}.
 * Input lines (tab-separated): {@code panel title unit}, {@code bar group series median
 * min max}, {@code ref label value}.
 */
public class Chart {

	private static final Map<String, Color> SERIES_COLORS = Map.of("template", new Color(0xE0, 0x7B, 0x24),
			"baseline", new Color(0x3A, 0x6E, 0xA5), "admitted", new Color(0x4C, 0x9A, 0x5A));

	private static final int PANEL_WIDTH = 720;

	private static final int PANEL_HEIGHT = 400;

	private static final int COLUMNS = 2;

	record Bar(String group, String series, double median, double min, double max) {
	}

	record Ref(String label, double value) {
	}

	static final class Panel {

		final String title;

		final String unit;

		final List<Bar> bars = new ArrayList<>();

		final List<Ref> refs = new ArrayList<>();

		Panel(String title, String unit) {
			this.title = title;
			this.unit = unit;
		}

	}

	public static void main(String[] args) throws Exception {
		List<Panel> panels = new ArrayList<>();
		for (String line : Files.readAllLines(Path.of(args[0]))) {
			String[] f = line.split("\t");
			switch (f[0]) {
				case "panel" -> panels.add(new Panel(f[1], f[2]));
				case "bar" -> panels.get(panels.size() - 1).bars.add(new Bar(f[1], f[2], Double.parseDouble(f[3]),
						Double.parseDouble(f[4]), Double.parseDouble(f[5])));
				case "ref" -> panels.get(panels.size() - 1).refs.add(new Ref(f[1], Double.parseDouble(f[2])));
				default -> {
				}
			}
		}
		int rows = Math.max(1, (panels.size() + COLUMNS - 1) / COLUMNS);
		int header = 50;
		BufferedImage image = new BufferedImage(PANEL_WIDTH * COLUMNS, header + PANEL_HEIGHT * rows,
				BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, image.getWidth(), image.getHeight());
		g.setColor(Color.BLACK);
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
		g.drawString(args.length > 2 ? args[2] : "Benchmark", 20, 32);
		for (int i = 0; i < panels.size(); i++) {
			draw(g, panels.get(i), (i % COLUMNS) * PANEL_WIDTH, header + (i / COLUMNS) * PANEL_HEIGHT);
		}
		g.dispose();
		ImageIO.write(image, "png", new File(args[1]));
	}

	private static void draw(Graphics2D g, Panel panel, int x0, int y0) {
		int left = x0 + 75;
		int right = x0 + PANEL_WIDTH - 25;
		int top = y0 + 60;
		int bottom = y0 + PANEL_HEIGHT - 70;
		g.setColor(Color.BLACK);
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
		g.drawString(panel.title, x0 + 20, y0 + 25);
		Set<String> groups = new LinkedHashSet<>();
		Set<String> series = new LinkedHashSet<>();
		double highest = 0;
		for (Bar bar : panel.bars) {
			groups.add(bar.group());
			series.add(bar.series());
			highest = Math.max(highest, Math.max(bar.max(), bar.median()));
		}
		for (Ref ref : panel.refs) {
			highest = Math.max(highest, ref.value());
		}
		double scale = niceCeiling(highest * 1.1);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		FontMetrics metrics = g.getFontMetrics();
		for (int t = 0; t <= 5; t++) {
			double value = scale * t / 5;
			int y = bottom - (int) Math.round((bottom - top) * value / scale);
			g.setColor(new Color(0xE6, 0xE6, 0xE6));
			g.drawLine(left, y, right, y);
			g.setColor(Color.DARK_GRAY);
			String text = (scale >= 10) ? String.format(Locale.ROOT, "%,.0f", value) : format(value);
			g.drawString(text, left - 8 - metrics.stringWidth(text), y + 4);
		}
		g.drawString(panel.unit, x0 + 10, top - 12);
		g.setColor(Color.BLACK);
		g.drawLine(left, bottom, right, bottom);
		Map<String, Integer> seriesIndex = new LinkedHashMap<>();
		for (String s : series) {
			seriesIndex.put(s, seriesIndex.size());
		}
		double groupWidth = (double) (right - left) / Math.max(1, groups.size());
		double barWidth = Math.min(60, groupWidth * 0.8 / Math.max(1, series.size()));
		int groupIndex = 0;
		for (String group : groups) {
			double groupLeft = left + groupIndex * groupWidth + (groupWidth - barWidth * series.size()) / 2;
			for (Bar bar : panel.bars) {
				if (!bar.group().equals(group)) {
					continue;
				}
				int index = seriesIndex.get(bar.series());
				int bx = (int) Math.round(groupLeft + index * barWidth);
				int by = bottom - (int) Math.round((bottom - top) * bar.median() / scale);
				g.setColor(SERIES_COLORS.getOrDefault(bar.series(), Color.GRAY));
				g.fillRect(bx + 2, by, (int) barWidth - 4, bottom - by);
				if (bar.max() > bar.min()) {
					int cx = bx + (int) barWidth / 2;
					int ymin = bottom - (int) Math.round((bottom - top) * bar.min() / scale);
					int ymax = bottom - (int) Math.round((bottom - top) * bar.max() / scale);
					g.setColor(Color.BLACK);
					g.setStroke(new BasicStroke(1.5f));
					g.drawLine(cx, ymin, cx, ymax);
					g.drawLine(cx - 5, ymin, cx + 5, ymin);
					g.drawLine(cx - 5, ymax, cx + 5, ymax);
					g.setStroke(new BasicStroke(1f));
				}
				g.setColor(Color.BLACK);
				String label = format(bar.median());
				if (barWidth >= metrics.stringWidth(label) - 6 || series.size() == 1) {
					g.drawString(label, bx + (int) (barWidth - metrics.stringWidth(label)) / 2, by - 4);
				}
			}
			g.setColor(Color.BLACK);
			drawCentered(g, group, (int) (left + groupIndex * groupWidth + groupWidth / 2), bottom + 18,
					(int) groupWidth);
			groupIndex++;
		}
		for (Ref ref : panel.refs) {
			int y = bottom - (int) Math.round((bottom - top) * ref.value() / scale);
			g.setColor(new Color(0xC0, 0x20, 0x20));
			g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] { 8, 6 },
					0));
			g.drawLine(left, y, right, y);
			g.setStroke(new BasicStroke(1f));
			g.drawString(ref.label(), right - metrics.stringWidth(ref.label()), y - 5);
		}
		int lx = left;
		for (String s : series) {
			g.setColor(SERIES_COLORS.getOrDefault(s, Color.GRAY));
			g.fillRect(lx, bottom + 45, 14, 14);
			g.setColor(Color.BLACK);
			g.drawString(s, lx + 20, bottom + 57);
			lx += 40 + metrics.stringWidth(s);
		}
	}

	private static void drawCentered(Graphics2D g, String text, int cx, int y, int width) {
		FontMetrics metrics = g.getFontMetrics();
		String shown = text;
		while (metrics.stringWidth(shown) > width - 4 && shown.length() > 3) {
			shown = shown.substring(0, shown.length() - 2);
		}
		if (!shown.equals(text)) {
			shown = shown + "…";
		}
		g.drawString(shown, cx - metrics.stringWidth(shown) / 2, y);
	}

	private static double niceCeiling(double value) {
		if (value <= 0) {
			return 1;
		}
		double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
		for (double step : new double[] { 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 }) {
			if (step * magnitude >= value) {
				return step * magnitude;
			}
		}
		return 10 * magnitude;
	}

	private static String format(double value) {
		if (value >= 100) {
			return String.format(Locale.ROOT, "%,.0f", value);
		}
		if (value >= 10) {
			return String.format(Locale.ROOT, "%.1f", value);
		}
		return String.format(Locale.ROOT, "%.2f", value);
	}

}
