//! Word lists the benchmark shop's names and texts are made of.

/// The `color` axis: 12 names.
pub const COLORS: [&str; 12] =
    ["black", "white", "red", "blue", "green", "yellow", "orange", "purple", "pink", "brown", "grey", "navy"];

/// Root categories (en, zh-CN, zh-TW).
pub const ROOTS: [(&str, &str, &str); 5] = [
    ("Apparel", "服装", "服裝"),
    ("Electronics", "数码", "數碼"),
    ("Home", "家居", "家居"),
    ("Beauty", "美妆", "美妝"),
    ("Sports", "运动", "運動"),
];

pub const BRANDS: [&str; 16] = [
    "Lumen",
    "Northwind",
    "Qingshan",
    "Huaxia Works",
    "Ardent",
    "Silk Road",
    "Pebble",
    "Kestrel",
    "Jade Lake",
    "Orbit",
    "Maple & Co",
    "Tianma",
    "Verde",
    "Solstice",
    "Harbor",
    "Yunling",
];

pub const ADJ_EN: [&str; 16] = [
    "Classic",
    "Everyday",
    "Premium",
    "Lightweight",
    "Urban",
    "Vintage",
    "Minimal",
    "Cozy",
    "Sport",
    "Eco",
    "Compact",
    "Deluxe",
    "Essential",
    "Modern",
    "Rugged",
    "Soft",
];

pub const NOUN_EN: [&str; 16] = [
    "T-shirt",
    "Jacket",
    "Headphones",
    "Backpack",
    "Lamp",
    "Mug",
    "Sneakers",
    "Watch",
    "Blanket",
    "Serum",
    "Bottle",
    "Speaker",
    "Scarf",
    "Charger",
    "Yoga Mat",
    "Notebook",
];

pub const ADJ_ZH: [&str; 16] = [
    "经典", "日常", "精选", "轻盈", "都市", "复古", "简约", "舒适", "运动", "环保", "便携", "豪华", "必备", "时尚",
    "耐用", "柔软",
];

pub const NOUN_ZH: [&str; 16] = [
    "T恤",
    "夹克",
    "耳机",
    "双肩包",
    "台灯",
    "马克杯",
    "运动鞋",
    "手表",
    "毛毯",
    "精华液",
    "水杯",
    "音箱",
    "围巾",
    "充电器",
    "瑜伽垫",
    "笔记本",
];

pub const TAGS: [&str; 20] = [
    "new",
    "bestseller",
    "gift",
    "eco",
    "limited",
    "cotton",
    "travel",
    "office",
    "outdoor",
    "kids",
    "wireless",
    "organic",
    "handmade",
    "summer",
    "winter",
    "sale",
    "premium",
    "compact",
    "classic",
    "trending",
];

/// Labels are stored as tags with the `label:` prefix.
pub const LABELS: [&str; 6] = ["free-shipping", "hot", "new-arrival", "cross-border", "official", "pre-sale"];

pub const MATERIALS: [&str; 8] = ["cotton", "polyester", "aluminium", "steel", "wood", "glass", "leather", "plastic"];

/// Sentences a markdown description is made of.
pub const SENTENCES_EN: [&str; 8] = [
    "Made for everyday use and built to last.",
    "Carefully tested by our team before it ships.",
    "A favourite of customers who value quality.",
    "Easy to clean, easy to carry, easy to love.",
    "Pairs well with the rest of the collection.",
    "Designed with comfort and durability in mind.",
    "Each piece is checked by hand at the warehouse.",
    "Ships in recyclable packaging.",
];

pub const SENTENCES_ZH: [&str; 8] = [
    "日常使用，经久耐用。",
    "出厂前经过团队严格测试。",
    "深受注重品质的顾客喜爱。",
    "易清洁，易携带，人人喜爱。",
    "与本系列其他商品完美搭配。",
    "兼顾舒适与耐用的设计。",
    "每一件都在仓库经过人工检查。",
    "采用可回收包装发货。",
];
