//! The address book pages: add (with messages beside fields), list, edit, make default,
//! delete; another customer's address is 404.

use agora_testkit::TestApp;

use super::Web;

both_backends!(address_book_pages);

const FIELDS: [(&str, &str); 5] = [
    ("recipient", "Li Mei"),
    ("phone", "+8613800138000"),
    ("country", "CN"),
    ("city", "Shanghai"),
    ("line1", "1 Nanjing Rd"),
];

async fn address_book_pages(t: &TestApp) {
    let web = Web::new(t);
    assert_eq!(web.get("/account/addresses").await.location(), "/account/login");
    web.register("book@example.com").await;
    assert!(web.get("/account/addresses").await.html.contains("No saved addresses"));
    // Empty form: messages beside the fields, nothing written.
    let r = web.submit("/account/addresses/new", "/account/addresses", &[("city", "Shanghai")]).await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(r.field_error("recipient").is_some() && r.field_error("line1").is_some(), "{}", r.html);
    assert_eq!(r.input_value("city").as_deref(), Some("Shanghai"));
    assert_eq!(t.count("addresses").await, 0);
    // Two addresses: the first is the default until the second is made default.
    let r = web.submit("/account/addresses/new", "/account/addresses", &FIELDS).await;
    assert_eq!((r.status, r.location()), (303, "/account/addresses"), "{}", r.html);
    let mut second = FIELDS.to_vec();
    second[4] = ("line1", "99 Huaihai Rd");
    web.submit("/account/addresses/new", "/account/addresses", &second).await;
    let list = web.get("/account/addresses").await;
    assert_eq!(list.html.matches("data-testid=\"default\"").count(), 1);
    let ids: Vec<i64> =
        list.html.split("data-address=\"").skip(1).map(|s| s.split('"').next().unwrap().parse().unwrap()).collect();
    assert_eq!(ids.len(), 2);
    let newest = *ids.iter().max().unwrap();
    let r = web.submit("/account/addresses", &format!("/account/addresses/{newest}/default"), &[]).await;
    assert_eq!(r.status, 303);
    let list = web.get("/account/addresses").await;
    let default_at = list.html.find("data-testid=\"default\"").unwrap();
    let huaihai_at = list.html.find("99 Huaihai Rd").unwrap();
    assert!(huaihai_at < default_at && list.html[huaihai_at..default_at].matches("data-address").count() == 0);
    // Edit, then delete.
    let edit = web.get(&format!("/account/addresses/{newest}/edit")).await;
    assert_eq!(edit.input_value("line1").as_deref(), Some("99 Huaihai Rd"));
    let mut changed = second.clone();
    changed[3] = ("city", "Suzhou");
    let r = web
        .submit(&format!("/account/addresses/{newest}/edit"), &format!("/account/addresses/{newest}"), &changed)
        .await;
    assert_eq!(r.status, 303, "{}", r.html);
    assert!(web.get("/account/addresses").await.html.contains("Suzhou"));
    let r = web.submit("/account/addresses", &format!("/account/addresses/{newest}/delete"), &[]).await;
    assert_eq!(r.status, 303);
    assert_eq!(t.count("addresses").await, 1);
    // Someone else's address does not exist for another customer.
    let other = Web::new(t);
    other.register("other-book@example.com").await;
    let first = *ids.iter().min().unwrap();
    assert_eq!(other.get(&format!("/account/addresses/{first}/edit")).await.status, 404);
}
