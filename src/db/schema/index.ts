export * from './api-keys.ts';
export * from './carts.ts';
export * from './coupons.ts';
export * from './customers.ts';
export * from './events.ts';
export * from './messages.ts';
export * from './orders.ts';
export * from './products.ts';
