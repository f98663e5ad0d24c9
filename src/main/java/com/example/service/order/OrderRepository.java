package com.example.service.order;

import java.util.UUID;

import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.PagingAndSortingRepository;

interface OrderRepository extends ListCrudRepository<Order, UUID>, PagingAndSortingRepository<Order, UUID> {

}
