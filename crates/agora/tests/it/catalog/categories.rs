//! Category tree administration and the public tree.

use agora_testkit::TestApp;
use serde_json::json;

use super::{category, product};

both_backends!(
    category_tree_crud,
    category_moves_refuse_cycles,
    category_delete_refused_when_not_empty,
    category_validation_and_roles
);

async fn category_tree_crud(t: &TestApp) {
    let c = &t.client;
    let admin = t.staff_token("operator").await;
    let women = category(t, &admin, "women", None).await;
    let dresses = category(t, &admin, "dresses", Some(women)).await;
    let maxi = category(t, &admin, "maxi", Some(dresses)).await;
    let men = c
        .post(
            "/api/v1/admin/categories",
            &json!({"slug": "men", "names": {"en": "Men", "zh-CN": "男装", "zh-TW": "男裝"}, "position": -1, "image_url": "/m.png"}),
            Some(&admin),
        )
        .await;
    assert_eq!(men.status, 201, "{}", men.text);
    assert_eq!(men.body["path"], format!("/{}/", men.body["id"]));

    let tree = c.get("/api/v1/categories?locale=zh-TW", None).await;
    assert_eq!(tree.status, 200, "{}", tree.text);
    let roots = tree.body.as_array().unwrap();
    assert_eq!(roots.len(), 2);
    assert_eq!(roots[0]["slug"], "men", "ordered by position");
    assert_eq!(roots[0]["name"], "男裝");
    assert_eq!(roots[1]["names"]["en"], "WOMEN");
    assert_eq!(roots[1]["children"][0]["children"][0]["id"], maxi);
    assert_eq!(roots[1]["children"][0]["children"][0]["path"], format!("/{women}/{dresses}/{maxi}/"));

    let one = c.get("/api/v1/categories/maxi?locale=zh-CN", None).await;
    assert_eq!(one.status, 200, "{}", one.text);
    let crumbs: Vec<_> = one.body["breadcrumb"].as_array().unwrap().iter().map(|b| b["slug"].clone()).collect();
    assert_eq!(crumbs, vec![json!("women"), json!("dresses"), json!("maxi")]);
    assert_eq!(one.body["breadcrumb"][0]["name"], "类women");
    let by_id = c.get(&format!("/api/v1/categories/{dresses}"), None).await;
    assert_eq!(by_id.body["category"]["children"][0]["slug"], "maxi");
    c.get("/api/v1/categories/nope", None).await.assert_problem(404, "not_found");

    // Rename is visible immediately (cache invalidation), also in trees rendered before it.
    let before = c.get("/api/v1/categories?locale=en", None).await;
    assert_eq!(before.body[1]["children"][0]["name"], "DRESSES");
    assert_eq!(c.get("/api/v1/categories", None).await.body[1]["children"][0]["names"]["en"], "DRESSES");
    let r = c
        .patch(&format!("/api/v1/admin/categories/{dresses}"), &json!({"names": {"en": "Frocks"}}), Some(&admin))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let one = c.get("/api/v1/categories/maxi?locale=en", None).await;
    assert_eq!(one.body["breadcrumb"][1]["name"], "Frocks");
    let after = c.get("/api/v1/categories?locale=en", None).await;
    assert_eq!(after.body[1]["children"][0]["name"], "Frocks");
    assert_eq!(c.get("/api/v1/categories", None).await.body[1]["children"][0]["names"]["en"], "Frocks");

    let r = c.delete(&format!("/api/v1/admin/categories/{maxi}"), Some(&admin)).await;
    assert_eq!(r.status, 204, "{}", r.text);
    c.get("/api/v1/categories/maxi", None).await.assert_problem(404, "not_found");
    let audit = t.staff_token("admin").await;
    let log = c.get("/api/v1/admin/audit-log?entity=category", Some(&audit)).await;
    let actions: Vec<_> = log.body["items"].as_array().unwrap().iter().map(|i| i["action"].clone()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "category.create").count(), 4);
    assert!(actions.contains(&json!("category.update")) && actions.contains(&json!("category.delete")));
}

async fn category_moves_refuse_cycles(t: &TestApp) {
    let c = &t.client;
    let admin = t.staff_token("admin").await;
    let a = category(t, &admin, "a", None).await;
    let b = category(t, &admin, "b", Some(a)).await;
    let leaf = category(t, &admin, "leaf", Some(b)).await;
    let other = category(t, &admin, "other", None).await;
    let before = t.count("audit_log").await;
    for target in [a, b, leaf] {
        let r = c.patch(&format!("/api/v1/admin/categories/{a}"), &json!({"parent_id": target}), Some(&admin)).await;
        r.assert_problem(409, "category_cycle");
    }
    c.patch(&format!("/api/v1/admin/categories/{a}"), &json!({"parent_id": 999}), Some(&admin))
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(t.count("audit_log").await, before, "refused moves write nothing");
    // Move b (with its child) under other: descendants' paths follow.
    let r = c.patch(&format!("/api/v1/admin/categories/{b}"), &json!({"parent_id": other}), Some(&admin)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["path"], format!("/{other}/{b}/"));
    let leaf_now = c.get("/api/v1/categories/leaf", None).await;
    assert_eq!(leaf_now.body["category"]["path"], format!("/{other}/{b}/{leaf}/"));
    // And back to the root.
    let r = c.patch(&format!("/api/v1/admin/categories/{b}"), &json!({"parent_id": null}), Some(&admin)).await;
    assert_eq!(r.body["path"], format!("/{b}/"));
    let leaf_now = c.get("/api/v1/categories/leaf", None).await;
    assert_eq!(leaf_now.body["category"]["path"], format!("/{b}/{leaf}/"));
    let crumbs = leaf_now.body["breadcrumb"].as_array().unwrap().len();
    assert_eq!(crumbs, 2);
}

async fn category_delete_refused_when_not_empty(t: &TestApp) {
    let c = &t.client;
    let admin = t.staff_token("admin").await;
    let root = category(t, &admin, "root", None).await;
    let child = category(t, &admin, "child", Some(root)).await;
    c.delete(&format!("/api/v1/admin/categories/{root}"), Some(&admin)).await.assert_problem(409, "category_not_empty");
    product(t, &admin, child, "Thing", json!({}), 100).await;
    c.delete(&format!("/api/v1/admin/categories/{child}"), Some(&admin))
        .await
        .assert_problem(409, "category_not_empty");
    assert_eq!(t.count("categories").await, 2);
    c.delete("/api/v1/admin/categories/999", Some(&admin)).await.assert_problem(404, "not_found");
}

async fn category_validation_and_roles(t: &TestApp) {
    let c = &t.client;
    let admin = t.staff_token("admin").await;
    category(t, &admin, "taken", None).await;
    let r = c.post("/api/v1/admin/categories", &json!({"slug": "Bad Slug", "names": {"en": ""}}), Some(&admin)).await;
    r.assert_problem(422, "validation_failed");
    assert!(r.names_field("slug") && r.names_field("names.en"));
    let r = c.post("/api/v1/admin/categories", &json!({"slug": "taken", "names": {"en": "X"}}), Some(&admin)).await;
    r.assert_problem(409, "slug_taken");
    let r = c
        .post("/api/v1/admin/categories", &json!({"slug": "x", "names": {"en": "X"}, "parent_id": 77}), Some(&admin))
        .await;
    r.assert_problem(422, "validation_failed");
    assert!(r.names_field("parent_id"));
    assert_eq!(t.count("categories").await, 1);
    let support = t.staff_token("support").await;
    let (_, customer) = t.customer().await;
    let body = json!({"slug": "x", "names": {"en": "X"}});
    c.post("/api/v1/admin/categories", &body, Some(&support)).await.assert_problem(403, "forbidden");
    c.post("/api/v1/admin/categories", &body, Some(&customer)).await.assert_problem(403, "forbidden");
    c.post("/api/v1/admin/categories", &body, None).await.assert_problem(401, "unauthenticated");
    c.get("/api/v1/admin/products", Some(&support)).await.assert_problem(403, "forbidden");
    c.get("/api/v1/admin/products", Some(&customer)).await.assert_problem(403, "forbidden");
    assert_eq!(t.count("categories").await, 1);
}

both_backends!(catalog_is_in_the_openapi_document, concurrent_moves_cannot_build_a_cycle);

async fn catalog_is_in_the_openapi_document(t: &TestApp) {
    let doc = t.client.get("/api/openapi.json", None).await;
    assert_eq!(doc.status, 200);
    let paths = doc.body["paths"].as_object().unwrap();
    for path in [
        "/api/v1/categories",
        "/api/v1/categories/{id_or_slug}",
        "/api/v1/products",
        "/api/v1/products/{id_or_slug}",
        "/media/{file}",
        "/api/v1/admin/categories/{id}",
        "/api/v1/admin/products",
        "/api/v1/admin/products/{id}/skus/generate",
        "/api/v1/admin/skus/{id}",
        "/api/v1/admin/products/{id}/images",
        "/api/v1/admin/products/{id}/images/order",
        "/api/v1/admin/images/{id}",
        "/api/v1/admin/products/{id}/publish",
        "/api/v1/admin/products/{id}/delist",
        "/api/v1/admin/products/bulk-status",
    ] {
        assert!(paths.contains_key(path), "{path} missing from OpenAPI");
    }
    let tags: Vec<&str> = doc.body["tags"].as_array().unwrap().iter().filter_map(|t| t["name"].as_str()).collect();
    assert!(tags.contains(&"catalog") && tags.contains(&"catalog-admin"));
    assert_eq!(paths["/api/v1/admin/products/{id}/publish"]["post"]["tags"][0], "catalog-admin");
}

async fn concurrent_moves_cannot_build_a_cycle(t: &TestApp) {
    let c = &t.client;
    let admin = t.staff_token("admin").await;
    for round in 0..5 {
        let a = category(t, &admin, &format!("a{round}"), None).await;
        let b = category(t, &admin, &format!("b{round}"), None).await;
        let (ra, rb) = futures_util::future::join(
            c.patch(&format!("/api/v1/admin/categories/{a}"), &json!({"parent_id": b}), Some(&admin)),
            c.patch(&format!("/api/v1/admin/categories/{b}"), &json!({"parent_id": a}), Some(&admin)),
        )
        .await;
        let mut statuses = [ra.status, rb.status];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 409], "{} / {}", ra.text, rb.text);
        let tree = c.get("/api/v1/categories", None).await;
        let slugs: Vec<_> = tree.body.as_array().unwrap().iter().map(|n| n["slug"].clone()).collect();
        assert!(slugs.contains(&json!(format!("a{round}"))) || slugs.contains(&json!(format!("b{round}"))));
    }
}
