//! What the demo shop sells: a category tree with names in three languages and product
//! name parts per leaf category.

/// A name in English, Simplified and Traditional Chinese.
#[derive(Debug, Clone, Copy)]
pub struct Name {
    pub en: &'static str,
    pub zh_cn: &'static str,
    pub zh_tw: &'static str,
}

const fn n(en: &'static str, zh_cn: &'static str, zh_tw: &'static str) -> Name {
    Name { en, zh_cn, zh_tw }
}

/// A leaf category and the nouns of the products it holds.
#[derive(Debug, Clone, Copy)]
pub struct Leaf {
    pub slug: &'static str,
    pub name: Name,
    pub nouns: &'static [Name],
    /// Price range in minor units (CNY fen).
    pub price: (i64, i64),
    /// Whether products vary by size as well as colour.
    pub sized: bool,
    pub weight_grams: i64,
}

#[derive(Debug, Clone, Copy)]
pub struct Root {
    pub slug: &'static str,
    pub name: Name,
    pub leaves: &'static [Leaf],
}

pub const ADJECTIVES: &[Name] = &[
    n("Classic", "经典", "經典"),
    n("Everyday", "日常", "日常"),
    n("Premium", "精选", "精選"),
    n("Lightweight", "轻盈", "輕盈"),
    n("Urban", "都市", "都市"),
    n("Vintage", "复古", "復古"),
    n("Minimal", "简约", "簡約"),
    n("Cozy", "舒适", "舒適"),
    n("Sport", "运动", "運動"),
    n("Eco", "环保", "環保"),
];

pub const COLOURS: &[Name] = &[
    n("Black", "黑色", "黑色"),
    n("White", "白色", "白色"),
    n("Red", "红色", "紅色"),
    n("Navy", "藏青", "藏青"),
    n("Grey", "灰色", "灰色"),
    n("Green", "绿色", "綠色"),
];

pub const SIZES: &[&str] = &["S", "M", "L", "XL"];

pub const TAGS: &[&str] = &["new", "bestseller", "gift", "eco", "limited", "cotton", "travel", "office"];

pub const ROOTS: &[Root] = &[
    Root {
        slug: "apparel",
        name: n("Apparel", "服装", "服裝"),
        leaves: &[
            Leaf {
                slug: "t-shirts",
                name: n("T-shirts", "T恤", "T恤"),
                nouns: &[n("Cotton T-shirt", "纯棉T恤", "純棉T恤"), n("Graphic Tee", "印花T恤", "印花T恤")],
                price: (4900, 15900),
                sized: true,
                weight_grams: 200,
            },
            Leaf {
                slug: "shirts",
                name: n("Shirts", "衬衫", "襯衫"),
                nouns: &[n("Oxford Shirt", "牛津纺衬衫", "牛津紡襯衫"), n("Linen Shirt", "亚麻衬衫", "亞麻襯衫")],
                price: (12900, 29900),
                sized: true,
                weight_grams: 300,
            },
            Leaf {
                slug: "jackets",
                name: n("Jackets", "夹克", "夾克"),
                nouns: &[n("Windbreaker", "防风夹克", "防風夾克"), n("Down Jacket", "羽绒服", "羽絨服")],
                price: (29900, 89900),
                sized: true,
                weight_grams: 900,
            },
            Leaf {
                slug: "trousers",
                name: n("Trousers", "裤装", "褲裝"),
                nouns: &[n("Chinos", "休闲裤", "休閒褲"), n("Jeans", "牛仔裤", "牛仔褲")],
                price: (15900, 39900),
                sized: true,
                weight_grams: 600,
            },
            Leaf {
                slug: "dresses",
                name: n("Dresses", "连衣裙", "連衣裙"),
                nouns: &[n("Summer Dress", "夏季连衣裙", "夏季連衣裙"), n("Knit Dress", "针织连衣裙", "針織連衣裙")],
                price: (19900, 49900),
                sized: true,
                weight_grams: 400,
            },
        ],
    },
    Root {
        slug: "electronics",
        name: n("Electronics", "数码电子", "數碼電子"),
        leaves: &[
            Leaf {
                slug: "phone-cases",
                name: n("Phone Cases", "手机壳", "手機殼"),
                nouns: &[n("Phone Case", "手机保护壳", "手機保護殼"), n("Card Case", "卡包手机壳", "卡包手機殼")],
                price: (2900, 9900),
                sized: false,
                weight_grams: 50,
            },
            Leaf {
                slug: "chargers",
                name: n("Chargers", "充电器", "充電器"),
                nouns: &[n("Fast Charger", "快速充电器", "快速充電器"), n("Power Bank", "充电宝", "充電寶")],
                price: (5900, 19900),
                sized: false,
                weight_grams: 250,
            },
            Leaf {
                slug: "headphones",
                name: n("Headphones", "耳机", "耳機"),
                nouns: &[n("Wireless Earbuds", "无线耳机", "無線耳機"), n("Headphones", "头戴式耳机", "頭戴式耳機")],
                price: (9900, 129900),
                sized: false,
                weight_grams: 300,
            },
            Leaf {
                slug: "cables",
                name: n("Cables", "数据线", "數據線"),
                nouns: &[
                    n("USB-C Cable", "USB-C数据线", "USB-C數據線"),
                    n("Braided Cable", "编织数据线", "編織數據線"),
                ],
                price: (1900, 6900),
                sized: false,
                weight_grams: 60,
            },
            Leaf {
                slug: "speakers",
                name: n("Speakers", "音箱", "音箱"),
                nouns: &[n("Bluetooth Speaker", "蓝牙音箱", "藍牙音箱"), n("Smart Speaker", "智能音箱", "智能音箱")],
                price: (14900, 59900),
                sized: false,
                weight_grams: 700,
            },
        ],
    },
    Root {
        slug: "home",
        name: n("Home & Kitchen", "家居厨房", "家居廚房"),
        leaves: &[
            Leaf {
                slug: "mugs",
                name: n("Mugs & Cups", "杯具", "杯具"),
                nouns: &[n("Ceramic Mug", "陶瓷马克杯", "陶瓷馬克杯"), n("Travel Tumbler", "保温杯", "保溫杯")],
                price: (3900, 15900),
                sized: false,
                weight_grams: 400,
            },
            Leaf {
                slug: "bedding",
                name: n("Bedding", "床上用品", "床上用品"),
                nouns: &[n("Duvet Cover", "被套", "被套"), n("Pillowcase Set", "枕套套装", "枕套套裝")],
                price: (9900, 39900),
                sized: true,
                weight_grams: 1200,
            },
            Leaf {
                slug: "storage",
                name: n("Storage", "收纳", "收納"),
                nouns: &[n("Storage Box", "收纳箱", "收納箱"), n("Drawer Organizer", "抽屉收纳盒", "抽屜收納盒")],
                price: (2900, 12900),
                sized: false,
                weight_grams: 800,
            },
            Leaf {
                slug: "cookware",
                name: n("Cookware", "锅具", "鍋具"),
                nouns: &[n("Frying Pan", "煎锅", "煎鍋"), n("Stock Pot", "汤锅", "湯鍋")],
                price: (12900, 59900),
                sized: false,
                weight_grams: 1500,
            },
            Leaf {
                slug: "towels",
                name: n("Towels", "毛巾", "毛巾"),
                nouns: &[n("Bath Towel", "浴巾", "浴巾"), n("Face Towel", "洗脸巾", "洗臉巾")],
                price: (1900, 9900),
                sized: false,
                weight_grams: 300,
            },
        ],
    },
    Root {
        slug: "food",
        name: n("Food & Drink", "食品饮料", "食品飲料"),
        leaves: &[
            Leaf {
                slug: "tea",
                name: n("Tea", "茶叶", "茶葉"),
                nouns: &[n("Oolong Tea", "乌龙茶", "烏龍茶"), n("Green Tea", "绿茶", "綠茶")],
                price: (4900, 29900),
                sized: false,
                weight_grams: 250,
            },
            Leaf {
                slug: "coffee",
                name: n("Coffee", "咖啡", "咖啡"),
                nouns: &[n("Coffee Beans", "咖啡豆", "咖啡豆"), n("Drip Coffee", "挂耳咖啡", "掛耳咖啡")],
                price: (3900, 19900),
                sized: false,
                weight_grams: 500,
            },
            Leaf {
                slug: "snacks",
                name: n("Snacks", "零食", "零食"),
                nouns: &[n("Mixed Nuts", "每日坚果", "每日堅果"), n("Dried Mango", "芒果干", "芒果乾")],
                price: (1900, 8900),
                sized: false,
                weight_grams: 300,
            },
            Leaf {
                slug: "noodles",
                name: n("Noodles", "面食", "麵食"),
                nouns: &[n("Hand-pulled Noodles", "手工拉面", "手工拉麵"), n("Rice Noodles", "米粉", "米粉")],
                price: (1500, 5900),
                sized: false,
                weight_grams: 500,
            },
            Leaf {
                slug: "sauces",
                name: n("Sauces", "调味品", "調味品"),
                nouns: &[n("Chili Oil", "辣椒油", "辣椒油"), n("Soy Sauce", "酱油", "醬油")],
                price: (990, 4900),
                sized: false,
                weight_grams: 500,
            },
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enough_categories_and_unique_slugs() {
        let leaves: Vec<&Leaf> = ROOTS.iter().flat_map(|r| r.leaves.iter()).collect();
        assert!(leaves.len() >= 20);
        let mut slugs: Vec<&str> = ROOTS.iter().map(|r| r.slug).chain(leaves.iter().map(|l| l.slug)).collect();
        slugs.sort_unstable();
        let n = slugs.len();
        slugs.dedup();
        assert_eq!(slugs.len(), n);
    }
}
