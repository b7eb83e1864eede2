package io.desire.features.profile;

import io.desire.features.event.EventType;
import java.io.Serializable;

/**
 * How much one behaviour event says about a user's interest in an item.
 *
 * <p>Defaults: view 1, click 2, add_to_cart 4, purchase 8, impression 0, and a rating {@code r}
 * weighs {@code ratePerPoint·max(0, r − rateNeutral)} = {@code 2·max(0, r − 2.5)} (5 stars 5,
 * 4 stars 3, 3 stars 1, 2 stars or fewer 0), so a poor rating never builds affinity. Non-behaviour
 * events ({@code item}, {@code user}, {@code forget_user}) weigh 0. Immutable; {@code with…} methods
 * return a validated copy.
 */
public final class EventWeights implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final double DEFAULT_VIEW = 1.0;
    public static final double DEFAULT_CLICK = 2.0;
    public static final double DEFAULT_ADD_TO_CART = 4.0;
    public static final double DEFAULT_PURCHASE = 8.0;
    public static final double DEFAULT_IMPRESSION = 0.0;
    public static final double DEFAULT_RATE_PER_POINT = 2.0;
    public static final double DEFAULT_RATE_NEUTRAL = 2.5;

    private final double view;
    private final double click;
    private final double addToCart;
    private final double purchase;
    private final double impression;
    private final double ratePerPoint;
    private final double rateNeutral;

    /** The documented defaults. */
    public EventWeights() {
        this(
                DEFAULT_VIEW,
                DEFAULT_CLICK,
                DEFAULT_ADD_TO_CART,
                DEFAULT_PURCHASE,
                DEFAULT_IMPRESSION,
                DEFAULT_RATE_PER_POINT,
                DEFAULT_RATE_NEUTRAL);
    }

    private EventWeights(
            double view,
            double click,
            double addToCart,
            double purchase,
            double impression,
            double ratePerPoint,
            double rateNeutral) {
        this.view = check("view", view);
        this.click = check("click", click);
        this.addToCart = check("addToCart", addToCart);
        this.purchase = check("purchase", purchase);
        this.impression = check("impression", impression);
        this.ratePerPoint = check("ratePerPoint", ratePerPoint);
        if (!Double.isFinite(rateNeutral)) {
            throw new IllegalArgumentException("rateNeutral must be finite, got " + rateNeutral);
        }
        this.rateNeutral = rateNeutral;
    }

    private static double check(String name, double w) {
        if (!(w >= 0) || Double.isInfinite(w)) {
            throw new IllegalArgumentException(name + " weight must be finite and ≥ 0, got " + w);
        }
        return w;
    }

    public EventWeights withView(double w) {
        return new EventWeights(w, click, addToCart, purchase, impression, ratePerPoint, rateNeutral);
    }

    public EventWeights withClick(double w) {
        return new EventWeights(view, w, addToCart, purchase, impression, ratePerPoint, rateNeutral);
    }

    public EventWeights withAddToCart(double w) {
        return new EventWeights(view, click, w, purchase, impression, ratePerPoint, rateNeutral);
    }

    public EventWeights withPurchase(double w) {
        return new EventWeights(view, click, addToCart, w, impression, ratePerPoint, rateNeutral);
    }

    public EventWeights withImpression(double w) {
        return new EventWeights(view, click, addToCart, purchase, w, ratePerPoint, rateNeutral);
    }

    /** Rating weight {@code perPoint·max(0, rating − neutral)}. */
    public EventWeights withRating(double perPoint, double neutral) {
        return new EventWeights(view, click, addToCart, purchase, impression, perPoint, neutral);
    }

    /**
     * The weight of an event of {@code type} carrying {@code value} (the rating for {@code rate}; a
     * rate event without a value weighs 0).
     */
    public double weight(EventType type, Double value) {
        if (type == null) {
            return 0.0;
        }
        switch (type) {
            case VIEW:
                return view;
            case CLICK:
                return click;
            case ADD_TO_CART:
                return addToCart;
            case PURCHASE:
                return purchase;
            case IMPRESSION:
                return impression;
            case RATE:
                if (value == null || !Double.isFinite(value)) {
                    return 0.0;
                }
                return ratePerPoint * Math.max(0.0, value - rateNeutral);
            default:
                return 0.0;
        }
    }

    @Override
    public String toString() {
        return "EventWeights{view=" + view + ", click=" + click + ", add_to_cart=" + addToCart
                + ", purchase=" + purchase + ", impression=" + impression + ", rate=" + ratePerPoint
                + "·max(0, r−" + rateNeutral + ")}";
    }
}
