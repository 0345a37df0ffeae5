with c as (select id from customers order by id limit 2000),
o as (select id from orders where customer_id in (select id from c)),
ol as (select * from order_lines where order_id in (select id from o)),
i as (select id from invoices where order_id in (select id from o)),
pv as (select id, product_id from product_variants where sku in (select sku from ol)),
p as (select id from products where id in (select product_id from ol) or id in (select product_id from pv))
select 'customers', (select count(*) from c) union all
select 'orders', (select count(*) from o) union all
select 'order_lines', (select count(*) from ol) union all
select 'invoices', (select count(*) from i) union all
select 'payments', (select count(*) from payments where invoice_id in (select id from i)) union all
select 'events', (select count(*) from events where customer_id in (select id from c)) union all
select 'contacts', (select count(*) from contacts where customer_id in (select id from c)) union all
select 'addresses', (select count(*) from addresses where customer_id in (select id from c) or id in (select shipping_address_id from orders where id in (select id from o)) or id in (select billing_address_id from orders where id in (select id from o))) union all
select 'comments', (select count(*) from comments where subject_type='order' and subject_id in (select id from o)) union all
select 'product_variants', (select count(*) from pv) union all
select 'products', (select count(*) from p) union all
select 'employees', (select count(distinct account_manager_id) from customers where id in (select id from c)) union all
select 'employees_with_manager_kept', (select count(*) from employees e where e.id in (select account_manager_id from customers where id in (select id from c)) and e.manager_id in (select account_manager_id from customers where id in (select id from c))) union all
select 'suppliers', (select count(distinct supplier_id) from products where id in (select id from p));
